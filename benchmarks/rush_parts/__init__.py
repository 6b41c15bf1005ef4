"""The parts of `benchmarks/rush.py`: the visitors, how they show a pass, the staff's taps, the run."""
