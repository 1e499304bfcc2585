"""calcgui: a desktop explorer of the calculus behind deep learning."""

__version__ = "0.1.0"
