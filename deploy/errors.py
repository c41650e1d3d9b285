"""The one exception a deploy command turns into a one-line message and exit code 1."""


class DeployError(Exception):
    """Bad input or a failed step; str() is the whole message a person needs."""
