# The fuel-overhead workloads (bench/swasgi/fuelWorkload.ts): bytecode dispatch, calls and the
# runtime's C helpers. wasm/profileHints.mjs profiles them too.


def loop(n):
    s = 0
    for i in range(n):
        s = (s + i * 7) % 1000003
    return s


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def strings(n):
    out = []
    for i in range(n):
        out.append("<td>%d</td><td>%s</td>" % (i, str(i * 1.5)))
    return len("".join(out))
