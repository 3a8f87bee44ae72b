"""The DLN kernel behind a real Jupyter Notebook server, as a browser uses it; jupyter/check.sh runs it.

Starts `jupyter notebook` headless on a free port, lists the kernelspecs over the REST API, starts a
"dln" kernel, runs one cell over the kernel's websocket (a summary table, a picture, a result) and
checks what comes back; exits 1 when anything is missing.
"""
import json
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

from tornado import ioloop, websocket

CODE = "m = Sequential([Input(shape=(4,)), Dense(2)])\nm.summary()\nshow(rand(28, 28))\n6 * 7"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    port = free_port()
    token = uuid.uuid4().hex
    log = open(sys.argv[1] if len(sys.argv) > 1 else "/dev/null", "w")
    server = subprocess.Popen(["jupyter", "notebook", "--no-browser", "--port=%d" % port, "--ip=127.0.0.1",
                               "--NotebookApp.token=" + token, "--allow-root"], stdout=log, stderr=log)
    base = "http://127.0.0.1:%d" % port

    def api(path, data=None, method=None):
        req = urllib.request.Request(base + path + "?token=" + token, method=method,
                                     data=json.dumps(data).encode() if data is not None else None,
                                     headers={"Content-Type": "application/json"})
        body = urllib.request.urlopen(req, timeout=30).read()
        return json.loads(body) if body else None

    try:
        for _ in range(120):
            try:
                specs = api("/api/kernelspecs")
                break
            except OSError:
                time.sleep(0.5)
        else:
            print("   the notebook server did not start")
            return 1
        if "dln" not in specs["kernelspecs"]:
            print("   the notebook server does not list the dln kernelspec:", sorted(specs["kernelspecs"]))
            return 1
        kernel = api("/api/kernels", {"name": "dln"}, "POST")

        async def run_cell():
            ws = await websocket.websocket_connect("ws://127.0.0.1:%d/api/kernels/%s/channels?token=%s" % (port, kernel["id"], token))
            msg_id = uuid.uuid4().hex
            ws.write_message(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "check", "session": uuid.uuid4().hex,
                           "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "channel": "shell",
                "content": {"code": CODE, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False}}))
            got = {}
            while True:
                msg = json.loads(await ws.read_message())
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                for mime in msg["content"].get("data", {}):
                    got.setdefault(msg["msg_type"], set()).add(mime)
                if msg["msg_type"] == "execute_reply":
                    got["status"] = msg["content"]["status"]
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    got["idle"] = True
                # The reply (shell channel) and the idle status (iopub) may arrive in either order.
                if got.get("idle") and "status" in got:
                    del got["idle"]
                    return got

        got = ioloop.IOLoop.current().run_sync(run_cell, timeout=120)
        api("/api/kernels/" + kernel["id"], None, "DELETE")
        ok = (got.get("status") == "ok" and {"text/html", "image/png"} <= got.get("display_data", set())
              and "text/plain" in got.get("execute_result", set()))
        print("   %s notebook server: kernelspec listed, cell gave %s" % ("ok  " if ok else "FAIL",
              {k: sorted(v) if isinstance(v, set) else v for k, v in got.items()}))
        return 0 if ok else 1
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
