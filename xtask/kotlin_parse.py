"""Parse-checks Kotlin files with tree-sitter-kotlin (the Compose app cannot be compiled on this machine: no
Android SDK, so nothing else reads android/app/src).

Usage: kotlin_parse.py DIR... ; every *.kt below each DIR must parse without ERROR or MISSING nodes.
Prints one line per file and ends with 'kotlin: N passed, M failed'.

Unlike swift_parse.py there is no rewriting of the source: every Kotlin file under android/ (the app's and the
view models', which kotlinc compiles) parsed as written with tree-sitter-kotlin 1.1.0 when this check was added.
That grammar does reject some valid Kotlin that android/ does not use; a FAIL on one of these is the grammar's,
not the code's:
  - a block comment followed on the same line by a declaration or statement, after another one:
        val x = 1
        /** The y. */ val y = 2          (put the comment on its own line)
    (UniFFI's generated bindings write `*/override fun` and fail for this reason, so they are not checked here;
    kotlinc compiles them in the "kotlin on the JVM" suite)
  - an interface body on one line with a bodiless member: `interface F { fun f(): Int }`
  - Kotlin 2.1+ syntax: guards in `when` (`is String if x.isEmpty() ->`), multi-dollar strings (`$$"..."`),
    context parameters (`context(ctx: Ctx) fun f()`)
Should one of these become needed, blank that one construct here, narrowly and with the reason, as
swift_parse.py does; never skip a file or ignore errors wholesale.
"""
import sys

from tree_parse import run

import tree_sitter_kotlin
from tree_sitter import Language, Parser

parser = Parser(Language(tree_sitter_kotlin.language()))


def first_problem(node):
    """The first innermost ERROR or MISSING node in source order, or None.

    Innermost, because after an unclosed bracket tree-sitter wraps the whole file in one ERROR node: its start
    (1:1) says nothing, while the first problem inside it sits where the parser lost track (the line after an
    unclosed '(', for example).
    """
    for child in node.children:
        found = first_problem(child)
        if found is not None:
            return found
    if node.type == "ERROR" or node.is_missing:
        return node
    return None


run("Kotlin", ".kt", lambda path: parser.parse(path.read_bytes()), first_problem, sys.argv[1:])
