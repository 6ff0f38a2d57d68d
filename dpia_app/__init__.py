"""Personal-information protection impact assessment (PIPIA) for facial recognition in China."""

__version__ = "0.1.0"
