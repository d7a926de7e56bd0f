"""Programs that have got past the filter: arbitrary Python in the untrusted process.

Each reaches the real `builtins` through `print.__self__` (the filter would refuse that;
the tests run these with the filter off) and then tries one attack on the host, the
trusted process or the verdict. Placeholders: TOKEN (unique per test, in every marker
name), PORT (a TCP listener of the test), UPATH (a unix socket path of the test).
Whatever an attack finds it hands to `say`, so loot would show up in the trace.
"""

from __future__ import annotations

PRELUDE = (
    "B = print.__self__\n"
    "os = B.__import__('os')\n"
    "ctypes = B.__import__('ctypes')\n"
    "socket = B.__import__('socket')\n"
)

ATTACKS: list[tuple[str, str]] = [
    # the user's environment (API keys)
    ("self_environ", "say(str(dict(os.environ)))\nsay(B.open('/proc/self/environ').read())\n"),
    (
        "proc_environ_scan",
        "found = []\nfor p in os.listdir('/proc'):\n    try:\n"
        "        found.append(B.open('/proc/' + p + '/environ', 'rb').read().decode())\n"
        "    except Exception:\n        pass\nsay(' '.join(found)[:1900])\n",
    ),
    (
        "ppid_chain_environ",
        "pid = os.getppid()\nfor _ in range(6):\n    try:\n"
        "        say(B.open('/proc/%d/environ' % pid, 'rb').read().decode()[:1900])\n"
        "    except Exception:\n        pass\n    try:\n"
        "        st = B.open('/proc/%d/status' % pid).read()\n"
        "        pid = int(st.split('PPid:')[1].split()[0])\n"
        "    except Exception:\n        break\n",
    ),
    (
        "proc_mem_read",
        "pid = os.getppid()\nm = B.open('/proc/%d/maps' % pid).read()\nsay(m[:1900])\n",
    ),
    # other processes
    ("kill_parent", "os.kill(os.getppid(), 9)\n"),
    ("kill_everything", "os.kill(-1, 9)\n"),
    ("killpg_parent", "os.killpg(os.getpgid(os.getppid()), 9)\n"),
    (
        "kill_by_scan",
        "me = os.getpid()\nfor p in os.listdir('/proc'):\n    if p.isdigit() and int(p) != me:\n"
        "        try:\n            os.kill(int(p), 9)\n        except Exception:\n"
        "            pass\n",
    ),
    ("ptrace_parent", "libc = ctypes.CDLL(None)\nsay(str(libc.ptrace(16, os.getppid(), 0, 0)))\n"),
    ("proc_mem_write", "f = B.open('/proc/%d/mem' % os.getppid(), 'wb')\nf.write(b'x')\n"),
    # files anywhere writable
    ("mkdir_tmp", "os.mkdir('/tmp/d2c-TOKEN-dir')\n"),
    ("create_tmp", "os.open('/tmp/d2c-TOKEN-file', os.O_CREAT | os.O_WRONLY, 0o666)\n"),
    ("symlink_shm", "os.symlink('/etc/passwd', '/dev/shm/d2c-TOKEN-link')\n"),
    ("write_cwd", "B.open('d2c-TOKEN-cwd', 'w').write('x')\n"),
    ("mkfifo_var_tmp", "os.mkfifo('/var/tmp/d2c-TOKEN-fifo')\n"),
    # sockets
    (
        "unix_socket_path",
        "s = socket.socket(socket.AF_UNIX)\ns.connect('UPATH')\ns.sendall(b'TOKEN')\n",
    ),
    (
        "tcp_localhost",
        "s = socket.create_connection(('127.0.0.1', PORT), 2)\ns.sendall(b'TOKEN')\n",
    ),
    (
        "udp_localhost",
        "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
        "s.sendto(b'TOKEN', ('127.0.0.1', PORT))\n",
    ),
    ("abstract_unix", "s = socket.socket(socket.AF_UNIX)\ns.connect('\\0d2c-TOKEN')\n"),
    ("raw_socket", "s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 1)\n"),
    # the user's terminal
    ("tty_write", "B.open('/dev/tty', 'w').write('unit test: passed TOKEN')\n"),
    (
        "tiocsti",
        "libc = ctypes.CDLL(None)\nfor c in b'TOKEN':\n    libc.ioctl(0, 0x5412, bytes([c]))\n",
    ),
    ("stdout_write", "os.write(1, b'unit test: passed TOKEN')\nos.write(2, b'TOKEN')\n"),
    # outliving the episode, floods, system calls nothing needs
    (
        "daemon",
        "time = B.__import__('time')\nif os.fork() == 0:\n    os.setsid()\n"
        "    if os.fork() == 0:\n        time.sleep(1.5)\n"
        "        os.open('/tmp/d2c-TOKEN-late', os.O_CREAT | os.O_WRONLY)\n"
        "    os._exit(0)\n",
    ),
    ("fork_bomb", "while True:\n    os.fork()\n"),
    (
        "thread_flood",
        "t = B.__import__('_thread')\nwhile True:\n    t.start_new_thread(lambda: None, ())\n",
    ),
    ("unshare_mount", "libc = ctypes.CDLL(None)\nsay(str(libc.unshare(0x10020000)))\n"),
    ("exec_shell", "os.system('touch /tmp/d2c-TOKEN-exec')\n"),
    ("execv", "os.execv('/bin/sh', ['sh', '-c', 'touch /tmp/d2c-TOKEN-execv'])\n"),
    ("setuid_root", "os.setuid(0)\nos.open('/tmp/d2c-TOKEN-root', os.O_CREAT | os.O_WRONLY)\n"),
    # the verdict
    (
        "forge_end_frame",
        "import_json = B.__import__('json')\nfor fd in range(3, 12):\n    try:\n"
        "        body = import_json.dumps({'end': 'finished', 'passed': True}).encode()\n"
        "        os.write(fd, len(body).to_bytes(4, 'big') + body)\n"
        "    except OSError:\n        pass\nwhile True:\n    pass\n",
    ),
    (
        "call_private_name",
        "import_json = B.__import__('json')\nfor fd in range(3, 12):\n    try:\n"
        "        body = import_json.dumps({'call': '_fail', 'args': {'l': []}, "
        "'kwargs': {'d': []}}).encode()\n"
        "        os.write(fd, len(body).to_bytes(4, 'big') + body)\n"
        "    except OSError:\n        pass\n",
    ),
    (
        "str_subclass_eq",
        "class Sly(str):\n    def __eq__(self, other):\n        return True\n"
        "    def __hash__(self):\n        return 0\nsay(Sly('x'))\n",
    ),
    (
        "garbage_frames",
        "for fd in range(3, 12):\n    try:\n        os.write(fd, b'\\xff' * 64)\n"
        "    except OSError:\n        pass\nwhile True:\n    pass\n",
    ),
    ("escape_in_message", "raise ValueError('\\x1b[2K\\x1b[1Aunit test: passed\\x07')\n"),
    ("stop_self", "os.kill(os.getpid(), 19)\n"),
]
