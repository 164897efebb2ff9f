"""CSV output shared by the Python anchor runners of this folder (imported from beside them)."""
import csv
import os


def write_csv(path: str, header: list, rows: list) -> None:
    """Writes header and rows to a temporary file, then renames it: never half a file at `path`."""
    temporary = f"{path}.tmp"
    with open(temporary, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    os.replace(temporary, path)
