"""The loop both parse checks share (swift_parse.py, kotlin_parse.py): every file with `suffix` below the
given directories must parse without ERROR or MISSING nodes. Prints one line per file and ends with
'<name>: N passed, M failed'; exits 1 when anything failed (the xtask suite reads the counts).
"""
import pathlib
import sys


def run(name, suffix, parse, first_problem, dirs):
    files = sorted(p for d in dirs if pathlib.Path(d).exists() for p in pathlib.Path(d).rglob(f"*{suffix}"))
    passed = failed = 0
    for path in files:
        tree = parse(path)
        problem = first_problem(tree.root_node) if tree.root_node.has_error else None
        if problem is None:
            passed += 1
            print(f"ok   {path}")
        else:
            failed += 1
            row, col = problem.start_point
            print(f"FAIL {path}:{row + 1}:{col + 1}: {'missing ' + problem.type if problem.is_missing else 'syntax error'}")
    if not files:
        failed += 1
        print(f"FAIL no {name} files found")
    print(f"{name.lower()}: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
