"""Models shipped with reduksi (installed as `pipeline.models`, read with importlib.resources); each is used
only for the codebook version its card names."""
