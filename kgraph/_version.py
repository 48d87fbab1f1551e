"""The package version, in a module of its own so that modules inside the
package read it without importing the package's ``__init__`` (an upward import)
and setuptools reads it for the distribution's metadata."""

__version__ = "0.1.0"
