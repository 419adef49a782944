"""qharmony package."""
