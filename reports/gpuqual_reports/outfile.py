"""Every file the report writes goes through here (DESIGN.md §9): into a temporary created
exclusively beside the target, flushed and fsynced, then renamed over it. A symlink or another
file planted at the target's name is replaced, never written through, and a failed write leaves
the previous file as it was. The file gets the mode an ordinary new file would (0666 less the
umask: 0644 under the usual 022), as the C++ writer does, not mkstemp's private 0600: reports are
published as CI artifacts and on shared disks."""

import os
import tempfile
from contextlib import contextmanager


def _new_file_mode():
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def replacing(path):
    """Yields the path of a fresh temporary beside `path` to write; on success it becomes `path`."""
    folder, name = os.path.split(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, _new_file_mode())
    finally:
        os.close(fd)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_text(path, text):
    """Writes `text` (UTF-8) to `path` safely."""
    with replacing(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)


def others_note(out_dir, written):
    """A warning naming the PNGs in `out_dir` that `written` (this report's paths) does not hold,
    an earlier report's figures that index.html does not show; None when there are none. They are
    named, never removed: the user named the directory, not those files."""
    mine = {os.path.abspath(p) for p in written}
    others = sorted(n for n in os.listdir(out_dir)
                    if n.endswith(".png") and os.path.abspath(os.path.join(out_dir, n)) not in mine)
    if not others:
        return None
    shown = ", ".join(others[:5]) + (f", ... ({len(others)} in all)" if len(others) > 5 else "")
    return (f"{out_dir} also holds {len(others)} PNG(s) this report did not write (an earlier "
            f"report's; index.html does not show them): {shown}")
