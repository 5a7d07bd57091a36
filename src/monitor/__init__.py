"""Press-release monitor for justice reform and gender equality in Central Asia."""

__version__ = "0.1.0"
