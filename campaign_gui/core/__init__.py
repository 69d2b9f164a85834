"""The plain-Python core: no Qt import anywhere below this package."""
