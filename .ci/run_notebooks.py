"""Executes notebooks in their own folder with nbclient; exits 1 on the first failing cell.

The committed notebooks stay without outputs: executed copies go to target/notebook-data/.
"""

import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

failed = []
for path in map(pathlib.Path, sys.argv[1:]):
    nb = nbformat.read(path, as_version=4)
    if any(c.get("outputs") or c.get("execution_count") for c in nb.cells if c.cell_type == "code"):
        failed.append(f"{path}: committed with outputs (clear them before committing)")
    start = time.time()
    client = NotebookClient(nb, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
        print(f"== {path}: ok ({time.time() - start:.0f} s)")
    except CellExecutionError as e:
        failed.append(f"{path}: a cell failed:\n{e}")
        print(f"== {path}: FAILED")
    out = pathlib.Path("target/notebook-data/executed") / path.name
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)

if failed:
    print("\n".join(failed))
    sys.exit(1)
print(f"{len(sys.argv) - 1} notebooks executed without error")
