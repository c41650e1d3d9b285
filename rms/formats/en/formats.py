"""English as RMS writes it (FORMAT_MODULE_PATH): Django's `en` formats, but the week
starts on Monday, as in Britain and in the office's Poland; Polish keeps Django's `pl`."""

FIRST_DAY_OF_WEEK = 1
