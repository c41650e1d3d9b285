"""Migration operations of our own."""

from django.db.migrations.operations.base import Operation


class PostgresOnly(Operation):
    """Run a schema operation on PostgreSQL only; elsewhere keep just its model state.

    For PostgreSQL-specific indexes (GIN over a search vector) that SQLite, the
    first-look database, cannot build; the model state stays the same everywhere so
    makemigrations sees no difference.
    """

    reversible = True

    def __init__(self, operation: Operation):
        self.operation = operation

    def deconstruct(self):
        return (f"{__name__}.{self.__class__.__name__}", [self.operation], {})

    def state_forwards(self, app_label, state):
        self.operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"{self.operation.describe()} (PostgreSQL only)"
