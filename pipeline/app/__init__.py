"""The application layer: one module per use case, shared by the CLI and the web workspace.

A use case takes a `Project` (store, config, codebook) and plain arguments, calls the stages, reads and writes
through the store's repositories, records its run in one place (`project.recorded_run`) and returns records. The
shells (`pipeline/cli`, later `pipeline/web`) only parse, call one use case and render what it returns.
"""
