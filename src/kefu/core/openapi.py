"""The OpenAPI schema says what the API really accepts.

A request body struct declared with `forbid_unknown_fields=True` answers 400 to a field it does
not know; Litestar's own msgspec schema plugin leaves `additionalProperties` open, so the schema
promised that extra fields are accepted (schemathesis: "schema-valid request rejected"). This
plugin describes such a struct exactly as Litestar does, closed: `additionalProperties: false`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.typing import FieldDefinition

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator
    from litestar.openapi.spec import Schema


def _forbids_unknown(field_definition: FieldDefinition) -> bool:
    info = msgspec.inspect.type_info(field_definition.type_)
    return isinstance(info, msgspec.inspect.StructType) and info.forbid_unknown_fields


class ClosedStructSchemaPlugin(StructSchemaPlugin):
    """A struct that refuses unknown fields is an object with `additionalProperties: false`."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return super().is_plugin_supported_field(field_definition) and _forbids_unknown(field_definition)

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        schema.additional_properties = False
        return schema
