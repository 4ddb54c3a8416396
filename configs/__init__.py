"""reduksi's packaged defaults: `reduksi.toml` and the codebook template (installed as `pipeline.configs`,
read with importlib.resources)."""
