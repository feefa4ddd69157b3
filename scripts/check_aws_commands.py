#!/usr/bin/env python3
"""Checks every `aws` command in Markdown files against the AWS CLI's own
command tables (awscli's driver over botocore's service models): the service,
the operation and every option exist, and every required option is given.

    python scripts/check_aws_commands.py FILE.md...

Commands are read from fenced code blocks: lines joined at a trailing
backslash, and commands nested in $(...) or after a pipe checked too.
Prints one line per problem and exits 1 when there is any; prints the number
of commands checked on success.
"""
import shlex
import sys

from awscli.clidriver import create_clidriver


def logical_lines(text):
    in_code = False
    buf = ""
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
            buf = ""
            continue
        if not in_code:
            continue
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        yield buf + line
        buf = ""


def commands(line):
    """Each `aws ...` command of a shell line: at its start, after $( , | , && or ;."""
    out = []
    i, n = 0, len(line)
    starts = []
    quote = None
    while i < n:
        c = line[i]
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif line.startswith("aws ", i) and (i == 0 or line[:i].rstrip().endswith(("$(", "|", "&&", ";", "=")) or line[:i].strip() == ""):
            starts.append(i)
        i += 1
    for s in starts:
        j, quote, depth = s, None, 0
        while j < n:
            c = line[j]
            if quote:
                if c == quote:
                    quote = None
            elif c in "'\"":
                quote = c
            elif c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            elif c == "|" or line.startswith("&&", j) or c == ";":
                break
            j += 1
        out.append(line[s:j].strip())
    return out


def main(paths):
    driver = create_clidriver()
    services = driver._get_command_table()
    global_args = set(driver._get_argument_table().keys())
    problems = []
    checked = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for line in logical_lines(text):
            for cmd in commands(line):
                checked += 1
                try:
                    words = shlex.split(cmd)
                except ValueError as e:
                    problems.append(f"{path}: cannot parse {cmd!r}: {e}")
                    continue
                if len(words) < 3:
                    problems.append(f"{path}: incomplete command {cmd!r}")
                    continue
                svc, op = words[1], words[2]
                if svc not in services:
                    problems.append(f"{path}: no service {svc!r}: {cmd}")
                    continue
                ops = services[svc]._get_command_table()
                if op not in ops:
                    problems.append(f"{path}: no operation {svc} {op!r}: {cmd}")
                    continue
                command, rest = ops[op], words[3:]
                # `aws cloudformation wait stack-create-complete ...`: a subcommand.
                sub = getattr(command, "subcommand_table", None)
                if sub:
                    if not rest or rest[0] not in sub:
                        problems.append(f"{path}: {svc} {op} needs one of its subcommands: {cmd}")
                        continue
                    command, rest = sub[rest[0]], rest[1:]
                table = command.arg_table
                given = {w[2:].split("=", 1)[0] for w in rest if w.startswith("--")}
                for name, arg in table.items():
                    if getattr(arg, "required", False) and name not in given:
                        problems.append(f"{path}: {svc} {op} needs --{name}: {cmd}")
                for w in rest:
                    if not w.startswith("--"):
                        continue
                    name = w[2:].split("=", 1)[0]
                    if name in table or name in global_args:
                        continue
                    if name.startswith("no-") and name[3:] in table:
                        continue
                    problems.append(f"{path}: {svc} {op} has no option --{name}: {cmd}")
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"{checked} aws commands checked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
