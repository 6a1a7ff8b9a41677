"""`replace_file`, which writes the files runs read again (demo corpus, webhook records, kept payloads): whole or not at
all, whether the run writing one is killed or its disk fills up."""
from __future__ import annotations

import resource
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from pipeline.home import unfinished_replacements

OLD = "the whole file a run before wrote\n"
# Long enough to write (and sync) that the kill at the first sight of the temp file lands before its rename.
BIG = 64 << 20


def replacing(path: Path, size: int, preexec_fn=None) -> subprocess.Popen:
    code = textwrap.dedent("""
        import sys
        from pathlib import Path
        from pipeline.home import replace_file
        replace_file(Path(sys.argv[1]), "x" * int(sys.argv[2]))
        """)
    return subprocess.Popen([sys.executable, "-c", code, str(path), str(size)], stderr=subprocess.PIPE, text=True,
                            preexec_fn=preexec_fn)


def test_a_run_killed_while_replacing_a_file_leaves_the_old_one_whole(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text(OLD)
    process = replacing(path, BIG)
    while not unfinished_replacements(tmp_path, path.name) and process.poll() is None:
        time.sleep(0.001)  # until the writing has begun (written in place, the file itself would now be cut short)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL, "killed before the rename"
    assert path.read_text() == OLD
    assert len(unfinished_replacements(tmp_path, path.name)) == 1, "the temp file, for the next writer to remove"


def test_a_full_disk_leaves_the_old_file_whole_and_no_temp_file(tmp_path):
    path = tmp_path / "feeds.toml"
    path.write_text(OLD)

    def full_disk() -> None:  # writes past 1 MiB fail with EFBIG, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    process = replacing(path, 4 << 20, preexec_fn=full_disk)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1 and "File too large" in stderr, stderr
    assert path.read_text() == OLD
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["feeds.toml"]
