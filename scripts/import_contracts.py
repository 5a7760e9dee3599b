"""The `module_api` contract for import-linter (`lint-imports`, configured in pyproject.toml).

A module is a package such as kefu.complaints. From outside it, only its public submodules
(`services`, `queries`, `schemas` and what they contain) may be imported; its tables,
controllers, jobs, policy and every other submodule are its own business. The built-in contract
types cannot say "everything but these", hence this one.
"""

from __future__ import annotations

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils
from importlinter.domain import helpers


class ModuleApiContract(Contract):
    """Options: `modules` (the packages), `public` (names of their public submodules),
    `importers` (the packages whose imports are checked), `ignore_imports`."""

    type_name = "module_api"

    modules = fields.ListField(subfield=fields.ModuleExpressionField())
    public = fields.ListField(subfield=fields.StringField())
    importers = fields.ListField(subfield=fields.ModuleExpressionField())
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(
        contract_utils.AlertLevel, default=contract_utils.AlertLevel.ERROR
    )

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        importers = _expand(graph, self.importers)  # type: ignore[arg-type]
        links = []
        for module in sorted(m.name for m in helpers.module_expressions_to_modules(graph, self.modules)):  # type: ignore[arg-type]
            inside = {module} | graph.find_descendants(module)
            private = {m for m in inside if not self._is_public(module, m)}
            for imported in sorted(private):
                for importer in sorted(graph.find_modules_that_directly_import(imported)):
                    if importer in importers and importer not in inside:
                        details = graph.get_import_details(importer=importer, imported=imported)
                        lines = tuple(d["line_number"] for d in details)
                        links.append((importer, imported, lines))
        return ContractCheck(
            kept=not links,
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"links": sorted(links)},
        )

    def _is_public(self, module: str, name: str) -> bool:
        rest = name[len(module) + 1 :].split(".") if name != module else []
        return bool(rest) and rest[0] in self.public  # type: ignore[operator]

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error(
            "A module's private submodules imported from outside it "
            "(reach it through its services or queries):",
            bold=False,
        )
        output.new_line()
        for importer, imported, lines in check.metadata["links"]:
            output.print_error(
                f"- {importer} -> {imported} (l.{', '.join(map(str, lines))})", bold=False
            )
        output.new_line()


def _expand(graph: grimp.ImportGraph, expressions) -> set[str]:
    found: set[str] = set()
    for module in helpers.module_expressions_to_modules(graph, expressions):
        found |= {module.name} | graph.find_descendants(module.name)
    return found
