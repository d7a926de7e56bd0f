"""`demo2code sweep`: a grid of eval runs from one SWEEP.toml, and the paper's tables."""
