"""The one exception users of the watermark package can cause."""


class WatermarkError(Exception):
    """Bad input or set-up: the message says what is wrong and what to do. The CLI prints it."""
