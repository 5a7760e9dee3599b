"""Survey input read through the shared form gate: the answer page, the template editor, the
new-round and schedule forms, an uploaded audience list, improvement actions."""
