"""advocate: write to your own lawmakers about the persecution of gay and bisexual men in Chechnya."""

__version__ = "0.1.0"
