"""Output of bench/run: the table on stdout, <stamp>.json and <stamp>.csv,
and the plots (<stamp>-ratios.png, <stamp>-memwalk.png) through gnuplot."""
import csv
import json
import os
import shutil
import subprocess
import tempfile

from .common import THROUGHPUT, log


def num(v):
    """4 significant digits, no exponent."""
    if v is None:
        return "-"
    a = abs(v)
    for limit, fmt in ((1000, "%.0f"), (100, "%.1f"), (10, "%.2f"), (1, "%.3f")):
        if a >= limit:
            return fmt % v
    return "%.4f" % v


def verdict(row, vmm):
    s = row.speedup(vmm)
    if s is None:
        return "-"
    return "%.2fx %s" % (s if s >= 1 else 1 / s, "faster" if s >= 1 else "slower")


def table(res):
    """The result table as text lines."""
    vmms = [v.name for v in res.vmms]
    rvisors = [v.name for v in res.vmms if v.kind == "rvisor"]
    head1 = ["", ""]
    head2 = ["benchmark", "metric (unit, better)"]
    for v in vmms:
        head1 += [v, "", ""]
        head2 += ["median", "min", "max"]
    for v in rvisors:
        head1 += ["%s / qemu" % v, ""]
        head2 += ["ratio", "%s is" % v]
    lines = [head1, head2]
    for r in res.rows:
        cells = [r.bench, "%s (%s, %s)" % (r.metric, r.unit,
                                          "higher" if r.kind == THROUGHPUT else "lower")]
        for v in vmms:
            st = r.stats(v)
            cells += list(map(num, st)) if st else ["FAIL" if v in r.errors else "-", "", ""]
        for v in rvisors:
            ratio = r.ratio(v)
            cells += ["%.3f" % ratio if ratio is not None else "-", verdict(r, v)]
        lines.append(cells)
    widths = [max(len(line[i]) for line in lines) for i in range(len(head2))]
    out = []
    for n, line in enumerate(lines):
        text = "  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(line, widths)))
        out.append(text.rstrip())
        if n == 1:
            out.append("-" * len(out[-1]))
    out.append("")
    out.append("ratio = rvisor / QEMU of the medians: for time rows (lower is better) "
               "rvisor time / QEMU time, < 1 means rvisor is faster;")
    out.append("for throughput rows (higher is better) rvisor throughput / QEMU "
               "throughput, > 1 means rvisor is faster. The last column says which.")
    seen = set()
    for r in res.rows:
        for v, why in r.errors.items():
            if (r.bench, v, why) not in seen:
                seen.add((r.bench, v, why))
                out.append("FAIL %s on %s: %s" % (r.bench, v, why))
    return out


def row_dict(res, r):
    d = {"benchmark": r.bench, "metric": r.metric, "unit": r.unit,
         "better": "higher" if r.kind == THROUGHPUT else "lower", "vmms": {}}
    for v in res.vmms:
        st = r.stats(v.name)
        e = {"runs": r.values.get(v.name, [])}
        if st:
            e.update(median=st[0], min=st[1], max=st[2])
        if v.name in r.errors:
            e["error"] = r.errors[v.name]
        if v.kind == "rvisor":
            e["ratio_vs_qemu"] = r.ratio(v.name)
            e["speedup_vs_qemu"] = r.speedup(v.name)
        d["vmms"][v.name] = e
    return d


def write_json(path, res, meta):
    doc = {"meta": meta, "results": [row_dict(res, r) for r in res.rows], "extra": res.extra}
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)


def write_csv(path, res):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["benchmark", "metric", "unit", "better", "vmm", "median", "min", "max",
                    "ratio_vs_qemu", "speedup_vs_qemu", "runs", "error"])
        for r in res.rows:
            d = row_dict(res, r)
            for v, e in d["vmms"].items():
                w.writerow([r.bench, r.metric, r.unit, d["better"], v, e.get("median"),
                            e.get("min"), e.get("max"), e.get("ratio_vs_qemu"),
                            e.get("speedup_vs_qemu"), " ".join("%.6g" % x for x in e["runs"]),
                            e.get("error", "")])


def gnuplot_quote(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def plots(stem, res, title):
    """Write stem-ratios.png and stem-memwalk.png; returns the paths made."""
    if not shutil.which("gnuplot"):
        log("warning: gnuplot not found (scripts/deps.sh installs gnuplot-nox): no plots")
        return []
    made = []
    rvisors = [v.name for v in res.vmms if v.kind == "rvisor"]
    with tempfile.TemporaryDirectory() as tmp:
        script = []
        bars = [r for r in res.rows
                if r.plot == "bar" and any(r.speedup(v) for v in rvisors)]
        if bars:
            dat = os.path.join(tmp, "ratios.dat")
            with open(dat, "w") as f:
                for r in bars:
                    sp = [r.speedup(v) for v in rvisors]
                    f.write("%s %s\n" % (gnuplot_quote(r.bench),
                                         " ".join("%.6g" % s if s else "NaN" for s in sp)))
            png = stem + "-ratios.png"
            script += [
                "set terminal pngcairo size 1200,600 noenhanced",
                "set output %s" % gnuplot_quote(png),
                "set title %s" % gnuplot_quote("rvisor speed relative to QEMU (> 1: rvisor "
                                               "faster), medians -- " + title),
                "set style data histograms", "set style histogram clustered gap 1",
                "set style fill solid 0.8 border -1", "set logscale y 2",
                "set ylabel 'speed relative to QEMU (log scale)'",
                "set xtics rotate by -35", "set grid ytics", "set key top left",
                "set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 2 dt 2",
                "plot " + ", ".join("%s using %d:xtic(1) title %s"
                                    % (gnuplot_quote(dat), i + 2, gnuplot_quote(v))
                                    for i, v in enumerate(rvisors)),
                "unset arrow", "unset logscale", "unset xtics", "set xtics",
            ]
            made.append(png)
        walks = sorted((r.plot[1], r) for r in res.rows
                       if isinstance(r.plot, tuple) and r.plot[0] == "memwalk")
        if walks and any(r.stats(v.name) for _, r in walks for v in res.vmms):
            curves = []
            for v in res.vmms:
                points = [(pages, r.stats(v.name)) for pages, r in walks if r.stats(v.name)]
                if not points:
                    continue
                dat = os.path.join(tmp, "memwalk-%s.dat" % v.name)
                with open(dat, "w") as f:
                    for pages, st in points:
                        f.write("%d %.6g %.6g %.6g\n" % (pages, st[0], st[1], st[2]))
                curves.append("%s using 1:2:3:4 with yerrorlines lw 2 title %s"
                              % (gnuplot_quote(dat), gnuplot_quote(v.name)))
            png = stem + "-memwalk.png"
            script += [
                "set terminal pngcairo size 900,600 noenhanced",
                "set output %s" % gnuplot_quote(png),
                "set title %s" % gnuplot_quote("memwalk: Sv39, one load per 4 KiB page, "
                                               "median and min-max -- " + title),
                "set style data linespoints", "set logscale x 2", "set grid",
                "set xrange [%g:%g]" % (walks[0][0] / 1.5, walks[-1][0] * 1.5),
                "set xlabel 'working set (4 KiB pages)'", "set ylabel 'ns per access'",
                "set yrange [0:*]", "set key top left",
                "plot " + ", ".join(curves),
            ]
            made.append(png)
        if script:
            p = subprocess.run(["gnuplot"], input="\n".join(script) + "\n", text=True,
                               capture_output=True)
            if p.returncode != 0:
                log("warning: gnuplot failed: %s" % p.stderr.strip()[-500:])
                return []
    return made
