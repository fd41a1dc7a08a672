#!/usr/bin/env python3
"""The C yardstick: the rules of a generated rule book hard-coded in a plain C program.

Reads the JSON sidecar `coach generate --rules-family NAME --output DIR` writes
(DIR/generated.json: every rule's `when` as one expression), emits DIR-side C with those rules
hard-coded (Kleene three-valued logic, NaN as missing, comparisons with the engine's 1e-9
tolerance, division by zero unknown), compiles it with `gcc -O3` (baseline x86-64, no
-march=native, like SwiftPM's default build) and runs it on a population CSV:

  (a) evaluation only, on rows already in memory, timed inside the program;
  (b) the whole process: read and parse the CSV, evaluate, count fired rules per rule.

With --coach it also runs `coach stats --jobs 1 --format json` on the same rules and CSV, times
it, and checks that every rule's fired count equals the C program's.

Only the combined view is supported: dimensions, the derived scores of the built-in instrument
(management, leadership, balance, overall), `level` and `role`. Rater views (`self.x`,
`raters.peers`) are refused, so the `rater-views` and `mixed` families are out of its reach.

Python 3 standard library only.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time

DIMENSIONS = [
    "systems", "people", "goals", "purpose", "control", "commitment", "planning", "opportunism",
    "doing", "being", "directing", "serving", "reacting", "initiating", "improvement", "breakthrough",
]
MANAGEMENT = ["systems", "goals", "control", "planning", "doing", "directing", "reacting", "improvement"]
LEADERSHIP = ["people", "purpose", "commitment", "opportunism", "being", "serving", "initiating", "breakthrough"]
LEVELS = ["personal", "team", "organization"]
ROLES = ["individual-contributor", "supervisor", "manager", "director", "executive"]
# The built-in bands: low max 2.5 (inclusive), mid above 2.5 below 3.75 (exclusive), high min 3.75.
BANDS = {
    "low": "b_low",
    "mid": "b_mid",
    "high": "b_high",
}

TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>\"[^\"]*\")|(?P<name>[A-Za-z_][A-Za-z0-9_\-]*(?:\.[A-Za-z_][A-Za-z0-9_\-]*)?)"
    r"|(?P<op><=|>=|==|!=|[-+*/<>(),\[\]]))"
)


class Unsupported(Exception):
    pass


def tokenize(text):
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise SyntaxError(f"cannot read {text[pos:]!r} in {text!r}")
        pos = match.end()
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
    tokens.append(("end", None))
    return tokens


class Parser:
    """Precedence, loosest first: or, and, not, comparisons and band/in tests, + -, * /, unary -.
    Each node is (kind, C text) with kind "num", "bool" or "str"."""

    def __init__(self, text):
        self.tokens = tokenize(text)
        self.pos = 0
        self.text = text

    def peek(self, offset=0):
        return self.tokens[self.pos + offset]

    def take(self, value=None):
        token = self.tokens[self.pos]
        if value is not None and token[1] != value:
            raise SyntaxError(f"expected {value!r}, found {token[1]!r} in {self.text!r}")
        self.pos += 1
        return token

    def parse(self):
        node = self.or_expr()
        if self.peek()[0] != "end":
            raise SyntaxError(f"unexpected {self.peek()[1]!r} in {self.text!r}")
        if node[0] != "bool":
            raise SyntaxError(f"not a condition: {self.text!r}")
        return node[1]

    def or_expr(self):
        node = self.and_expr()
        while self.peek() == ("name", "or"):
            self.take()
            node = ("bool", f"k_or({node[1]}, {self.and_expr()[1]})")
        return node

    def and_expr(self):
        node = self.not_expr()
        while self.peek() == ("name", "and"):
            self.take()
            node = ("bool", f"k_and({node[1]}, {self.not_expr()[1]})")
        return node

    def not_expr(self):
        if self.peek() == ("name", "not"):
            self.take()
            return ("bool", f"k_not({self.not_expr()[1]})")
        return self.comparison()

    def comparison(self):
        left = self.additive()
        kind, value = self.peek()
        if kind == "op" and value in ("<", "<=", ">", ">=", "==", "!="):
            self.take()
            right = self.additive()
            if left[0] == "str" or right[0] == "str":
                attribute, literal = (left, right) if left[0] == "str" else (right, left)
                return ("bool", self.attribute_equals(attribute[1], literal[1], value))
            name = {"<": "c_lt", "<=": "c_le", ">": "c_gt", ">=": "c_ge", "==": "c_eq", "!=": "c_ne"}[value]
            return ("bool", f"{name}({left[1]}, {right[1]})")
        if (kind, value) == ("name", "is"):
            self.take()
            negated = False
            if self.peek() == ("name", "not"):
                self.take()
                negated = True
            band = self.take()[1]
            test = f"{BANDS[band]}({left[1]})"
            return ("bool", f"k_not({test})" if negated else test)
        if (kind, value) == ("name", "in") or ((kind, value) == ("name", "not") and self.peek(1) == ("name", "in")):
            negated = value == "not"
            if negated:
                self.take()
            self.take("in")
            self.take("[")
            values = [self.take()[1]]
            while self.peek() == ("op", ","):
                self.take()
                values.append(self.take()[1])
            self.take("]")
            test = self.attribute_in(left[1], [v.strip('"') for v in values])
            return ("bool", f"k_not({test})" if negated else test)
        return left

    @staticmethod
    def codes(attribute, values):
        table = LEVELS if attribute == "lvl" else ROLES
        return [table.index(v) for v in values]

    def attribute_equals(self, attribute, literal, op):
        code = self.codes(attribute, [literal.strip('"')])[0]
        test = f"(({attribute}) < 0 ? 2 : ({attribute}) == {code})"
        return test if op == "==" else f"k_not({test})"

    def attribute_in(self, attribute, values):
        tests = " || ".join(f"({attribute}) == {code}" for code in self.codes(attribute, values))
        return f"(({attribute}) < 0 ? 2 : ({tests}))"

    def additive(self):
        node = self.multiplicative()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            node = ("num", f"({node[1]} {op} {self.multiplicative()[1]})")
        return node

    def multiplicative(self):
        node = self.unary()
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            right = self.unary()[1]
            node = ("num", f"({node[1]} * {right})" if op == "*" else f"f_div({node[1]}, {right})")
        return node

    def unary(self):
        if self.peek() == ("op", "-"):
            self.take()
            return ("num", f"(-{self.unary()[1]})")
        return self.primary()

    def primary(self):
        kind, value = self.take()
        if kind == "num":
            return ("num", f"{float(value)!r}")
        if kind == "str":
            return ("str", value)
        if (kind, value) == ("op", "("):
            node = self.or_expr()
            self.take(")")
            return node
        if kind == "name":
            if self.peek() == ("op", "("):
                self.take()
                args = [self.or_expr()]
                while self.peek() == ("op", ","):
                    self.take()
                    args.append(self.or_expr())
                self.take(")")
                return self.call(value, args)
            return self.variable(value)
        raise SyntaxError(f"unexpected {value!r} in {self.text!r}")

    def call(self, name, args):
        texts = ", ".join(a[1] for a in args)
        if name == "abs":
            return ("num", f"f_abs({texts})")
        if name == "count":
            return ("num", f"f_count({len(args)}, (int[]){{{texts}}})")
        if name in ("mean", "min", "max"):
            return ("num", f"f_{name}({len(args)}, (double[]){{{texts}}})")
        raise SyntaxError(f"unknown function {name}")

    def variable(self, name):
        if name in DIMENSIONS:
            return ("num", f"v[{DIMENSIONS.index(name)}]")
        if name in ("management", "leadership", "balance", "overall"):
            return ("num", f"d_{name}")
        if name == "level":
            return ("str", "lvl")
        if name == "role":
            return ("str", "role")
        if "." in name:
            raise Unsupported(f"rater view or count '{name}': the yardstick reads the combined view only")
        raise SyntaxError(f"unknown variable {name}")


PRELUDE = r"""
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EPS 1e-9
/* Truth: 0 false, 1 true, 2 unknown (Kleene). */
static inline int k_and(int a, int b) { return (a == 0 || b == 0) ? 0 : ((a == 1 && b == 1) ? 1 : 2); }
static inline int k_or(int a, int b) { return (a == 1 || b == 1) ? 1 : ((a == 0 && b == 0) ? 0 : 2); }
static inline int k_not(int a) { return a == 2 ? 2 : !a; }
static inline int c_lt(double a, double b) { return (isnan(a) || isnan(b)) ? 2 : a < b - EPS; }
static inline int c_le(double a, double b) { return (isnan(a) || isnan(b)) ? 2 : a <= b + EPS; }
static inline int c_gt(double a, double b) { return (isnan(a) || isnan(b)) ? 2 : a > b + EPS; }
static inline int c_ge(double a, double b) { return (isnan(a) || isnan(b)) ? 2 : a >= b - EPS; }
static inline int c_eq(double a, double b) { return (isnan(a) || isnan(b)) ? 2 : fabs(a - b) <= EPS; }
static inline int c_ne(double a, double b) { return (isnan(a) || isnan(b)) ? 2 : fabs(a - b) > EPS; }
static inline int b_low(double x) { return isnan(x) ? 2 : x <= 2.5 + EPS; }
static inline int b_mid(double x) { return isnan(x) ? 2 : (x > 2.5 + EPS && x < 3.75 - EPS); }
static inline int b_high(double x) { return isnan(x) ? 2 : x >= 3.75 - EPS; }
static inline double f_div(double a, double b) { return b == 0 ? NAN : a / b; }
static inline double f_abs(double a) { return fabs(a); }
static inline double f_mean(int n, const double *x) {
    double s = 0; for (int i = 0; i < n; i++) s += x[i]; return s / n;
}
static inline double f_min(int n, const double *x) {
    double m = x[0]; for (int i = 0; i < n; i++) { if (isnan(x[i])) return NAN; if (x[i] < m) m = x[i]; } return m;
}
static inline double f_max(int n, const double *x) {
    double m = x[0]; for (int i = 0; i < n; i++) { if (isnan(x[i])) return NAN; if (x[i] > m) m = x[i]; } return m;
}
static inline double f_count(int n, const int *t) {
    int c = 0; for (int i = 0; i < n; i++) { if (t[i] == 2) return NAN; c += t[i]; } return c;
}
"""

MAIN = r"""
static const char *LEVELS[] = {%(levels)s};
static const char *ROLES[] = {%(roles)s};
static const char *DIMS[] = {%(dims)s};

static int code(const char *s, size_t n, const char **table, int count) {
    for (int i = 0; i < count; i++) if (strlen(table[i]) == n && memcmp(table[i], s, n) == 0) return i;
    return -1;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: yardstick POPULATION.csv [repeats]\n"); return 64; }
    int repeats = argc > 2 ? atoi(argv[2]) : 5;
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    fseek(f, 0, SEEK_END); long size = ftell(f); fseek(f, 0, SEEK_SET);
    char *text = malloc(size + 1); if (fread(text, 1, size, f) != (size_t)size) return 1; text[size] = 0; fclose(f);
    /* Header: which column is which. */
    int map[256]; int columns = 0; int levelColumn = -1, roleColumn = -1;
    char *p = text;
    while (*p && *p != '\n') {
        char *start = p; while (*p && *p != ',' && *p != '\n') p++;
        size_t n = p - start; map[columns] = -1;
        if (n == 5 && memcmp(start, "level", 5) == 0) levelColumn = columns;
        else if (n == 4 && memcmp(start, "role", 4) == 0) roleColumn = columns;
        else map[columns] = code(start, n, DIMS, 16);
        columns++; if (*p == ',') p++;
    }
    if (*p == '\n') p++;
    size_t capacity = 1 << 16, rows = 0;
    double *values = malloc(capacity * 16 * sizeof(double));
    int *levels = malloc(capacity * sizeof(int)), *roles = malloc(capacity * sizeof(int));
    while (*p) {
        if (rows == capacity) {
            capacity *= 2;
            values = realloc(values, capacity * 16 * sizeof(double));
            levels = realloc(levels, capacity * sizeof(int)); roles = realloc(roles, capacity * sizeof(int));
        }
        double *v = values + rows * 16;
        for (int i = 0; i < 16; i++) v[i] = NAN;
        levels[rows] = 0; roles[rows] = -1;  /* a row without a level is read at the default, personal */
        for (int c = 0; c < columns; c++) {
            char *start = p; while (*p && *p != ',' && *p != '\n') p++;
            size_t n = p - start;
            if (c == levelColumn) { if (n) levels[rows] = code(start, n, LEVELS, 3); }
            else if (c == roleColumn) { if (n) roles[rows] = code(start, n, ROLES, 5); }
            else if (map[c] >= 0 && n) v[map[c]] = strtod(start, NULL);
            if (*p == ',') p++;
        }
        if (*p == '\n') p++;
        rows++;
    }
    long counts[RULES] = {0};
    for (size_t r = 0; r < rows; r++) eval_row(values + r * 16, levels[r], roles[r], counts);
    /* (a) evaluation only, rows in memory: the best of `repeats` passes. */
    double best = 1e30; long sink = 0;
    for (int k = 0; k < repeats; k++) {
        long again[RULES] = {0};
        struct timespec t0, t1; clock_gettime(CLOCK_MONOTONIC, &t0);
        for (size_t r = 0; r < rows; r++) eval_row(values + r * 16, levels[r], roles[r], again);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
        if (s < best) best = s;
        sink += again[0];
    }
    printf("{\"profiles\": %%zu, \"evalSeconds\": %%.6f, \"sink\": %%ld, \"fired\": {", rows, best, sink);
    for (int i = 0; i < RULES; i++) printf("%%s\"%%s\": %%ld", i ? ", " : "", IDS[i], counts[i]);
    printf("}}\n");
    return 0;
}
"""


def emit_c(rules):
    body = []
    for index, rule in enumerate(rules):
        body.append(f"    if (({Parser(rule['when']).parse()}) == 1) counts[{index}]++;  /* {rule['id']} */")
    management = ", ".join(f"v[{DIMENSIONS.index(n)}]" for n in MANAGEMENT)
    leadership = ", ".join(f"v[{DIMENSIONS.index(n)}]" for n in LEADERSHIP)
    quoted = lambda names: ", ".join(f'"{n}"' for n in names)
    return (
        PRELUDE
        + f"#define RULES {len(rules)}\nstatic const char *IDS[] = {{{quoted(r['id'] for r in rules)}}};\n"
        + "static inline void eval_row(const double *v, int lvl, int role, long *counts) {\n"
        + f"    double d_management = f_mean(8, (double[]){{{management}}});\n"
        + f"    double d_leadership = f_mean(8, (double[]){{{leadership}}});\n"
        + "    double d_balance = d_leadership - d_management;\n"
        + "    double d_overall = (d_management + d_leadership) / 2;\n"
        + "    (void)lvl; (void)role; (void)d_balance; (void)d_overall;\n"
        + "\n".join(body)
        + "\n}\n"
        + MAIN % {"levels": quoted(LEVELS), "roles": quoted(ROLES), "dims": quoted(DIMENSIONS)}
    )


def timed(command, **kwargs):
    start = time.perf_counter()
    result = subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)
    return time.perf_counter() - start, result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rules", required=True, help="the rules directory (with generated.json)")
    parser.add_argument("--csv", required=True, help="the population CSV")
    parser.add_argument("--work", required=True, help="where the C source and binary go")
    parser.add_argument("--coach", help="the coach binary: also time `coach stats --jobs 1` and compare counts")
    parser.add_argument("--runs", type=int, default=3, help="process runs of each program (the best counts)")
    args = parser.parse_args()

    with open(os.path.join(args.rules, "generated.json")) as handle:
        book = json.load(handle)
    try:
        source = emit_c(book["rules"])
    except Unsupported as error:
        sys.exit(f"c_yardstick: family '{book['family']}': {error}")
    os.makedirs(args.work, exist_ok=True)
    c_path = os.path.join(args.work, "yardstick.c")
    binary = os.path.join(args.work, "yardstick")
    with open(c_path, "w") as handle:
        handle.write(source)
    subprocess.run(["gcc", "-O3", "-std=gnu11", "-o", binary, c_path, "-lm"], check=True)

    # The in-memory figure: best of five extra passes inside the program. The whole-process
    # runs make no extra pass (read, parse, one evaluation, print), as `coach stats` does.
    _, evaluation = timed([binary, args.csv, "5"])
    c_result = json.loads(evaluation)
    c_process = min(timed([binary, args.csv, "0"])[0] for _ in range(args.runs))
    profiles = c_result["profiles"]
    print(f"family {book['family']}, {len(book['rules'])} rules, {profiles} profiles ({args.csv})")
    print(
        f"C (gcc -O3)      evaluation in memory: {c_result['evalSeconds']:.4f} s "
        f"({profiles / max(c_result['evalSeconds'], 1e-9) / 1e6:.1f} M profiles/s, best of 5)"
    )
    print(f"C (gcc -O3)      whole process:        {c_process:.3f} s (best of {args.runs})")
    if not args.coach:
        return
    command = [args.coach, "stats", args.csv, "--rules", args.rules, "--jobs", "1", "--format", "json"]
    coach_runs = [timed(command) for _ in range(args.runs)]
    coach_process = min(seconds for seconds, _ in coach_runs)
    stats = json.loads(coach_runs[0][1])
    print(f"coach stats --jobs 1 whole process:   {coach_process:.3f} s (best of {args.runs})")
    print(f"ratio coach / C (whole process): {coach_process / c_process:.2f}")
    differences = []
    if stats["profiles"] != profiles:
        differences.append(f"profiles: coach {stats['profiles']}, C {profiles}")
    for rule_id, fired in c_result["fired"].items():
        theirs = stats["rules"].get(rule_id, {}).get("fired")
        if theirs != fired:
            differences.append(f"{rule_id}: coach {theirs}, C {fired}")
    if differences:
        print("fired counts DIFFER:\n  " + "\n  ".join(differences))
        sys.exit(1)
    print(f"fired counts equal for all {len(c_result['fired'])} rules")


if __name__ == "__main__":
    main()
