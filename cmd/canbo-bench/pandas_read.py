# canbo-bench's pandas comparison: read every .xlsx/.xlsm under a folder with
# pandas.read_excel (every sheet, no header), one file after another, and print one
# JSON line: wall and CPU seconds of the reading, peak RSS, rows read. Run by
# canbo-bench as `python3 -c <this file> FOLDER`.
import json
import os
import resource
import sys
import time


def peak_rss():
    """Peak RSS in bytes: VmHWM on Linux (ru_maxrss there includes the parent's peak)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024, "VmHWM, /proc/self/status"
    except OSError:
        pass
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (r if sys.platform == "darwin" else r * 1024), "getrusage ru_maxrss"


def main():
    try:
        import openpyxl
        import pandas
    except ImportError as e:
        print(json.dumps({"skipped": str(e)}))
        return
    folder = sys.argv[1]
    paths = sorted(
        os.path.join(d, f)
        for d, _, files in os.walk(folder)
        for f in files
        if f.lower().endswith((".xlsx", ".xlsm")) and not f.startswith("~$")
    )
    base, _ = peak_rss()
    t0, c0 = time.perf_counter(), time.process_time()
    rows = 0
    for p in paths:
        for df in pandas.read_excel(p, sheet_name=None, header=None).values():
            rows += len(df)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak, source = peak_rss()
    print(json.dumps({"wall_s": wall, "cpu_s": cpu, "peak_rss": peak, "base_rss": base, "rss_source": source,
                      "files": len(paths), "rows": rows, "pandas": pandas.__version__, "openpyxl": openpyxl.__version__}))


main()
