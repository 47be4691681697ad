"""Errors the core raises for bad input: each carries one line a person can act on."""


class PathwiseError(Exception):
    """Bad input, explained in one line that names where and what is wrong."""


class DefinitionError(PathwiseError):
    """A program definition file is malformed or inconsistent."""


class RecordsError(PathwiseError):
    """A participant's records file is malformed or inconsistent with its program."""


class AttendanceFileError(PathwiseError):
    """A video-call attendance export cannot be read: the message names line, column and value."""


class OutcomeError(PathwiseError):
    """What a course run recorded (meetings, attendance, grades) does not fit its course."""
