"""Parse-checks Swift files with tree-sitter-swift (there is no Swift toolchain on this machine).

Usage: swift_parse.py DIR... ; every *.swift below each DIR must parse without ERROR or MISSING nodes.
Prints one line per file and ends with 'swift: N passed, M failed'.
"""
import re
import sys

from tree_parse import run

import tree_sitter_swift
from tree_sitter import Language, Parser

parser = Parser(Language(tree_sitter_swift.language()))

# UniFFI wraps some attributes in a compiler-version check:
#     #if swift(>=5.8)
#         @_documentation(visibility: private)
#     #endif
# which is valid Swift but which the grammar cannot attach to the declaration that follows. The check
# blanks exactly that pattern (keeping line numbers) and parses everything else as written.
CONDITIONAL_ATTRIBUTE = re.compile(rb"^#if swift\([^)]*\)\n(\s*@_documentation\([^)]*\))\n#endif$", re.M)


def source(path):
    return CONDITIONAL_ATTRIBUTE.sub(lambda m: b"\n" + b" " * len(m.group(1)) + b"\n", path.read_bytes())


def first_problem(node):
    """The first ERROR or MISSING node, depth first, or None."""
    if node.type == "ERROR" or node.is_missing:
        return node
    for child in node.children:
        found = first_problem(child)
        if found is not None:
            return found
    return None


run("Swift", ".swift", lambda path: parser.parse(source(path)), first_problem, sys.argv[1:])
