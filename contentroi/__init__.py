"""Content ROI: which articles and channels actually make money."""

__version__ = "0.1.0"
