"""The owner commands' tests seed visits the way the owner tools' suite does."""

from tests.owner_tools.conftest import add_visit  # noqa: F401  (a fixture, named by the tests that use it)
