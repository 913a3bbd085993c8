#!/usr/bin/env python3
"""A real WebSub hub and subscriber on 127.0.0.1 for newswire's end-to-end test
(tests/suite/websub.rs, `a_real_hub_pushes_the_new_item_to_a_subscriber`).

Starts, each on a free port of 127.0.0.1:
- a static server for newswire's output folder (the first argument), which sends every file
  with the `Link` headers a host is configured to send (rel="hub", rel="self"): Flask-WebSub's
  hub refuses to distribute a topic whose response lacks them;
- Flask-WebSub's hub, publishing enabled, its celery tasks run eagerly (no broker needed):
  a publish request is answered once the hub has fetched the feed and delivered it;
- Flask-WebSub's subscriber, whose callbacks print every delivery.

Talks over stdin/stdout, one JSON object a line. It prints
{"event": "ready", "hub": URL, "site": URL} once listening; then, for each line
`subscribe <topic URL>` read, discovers the topic's hub (Flask-WebSub's discovery) and
subscribes, printing {"event": "subscribed", "topic": URL} once the hub verified the
subscription (or {"event": "error", ...}); every delivery is printed as
{"event": "delivered", "topic": URL, "body": TEXT}. It exits at end of input or on `quit`.
"""

import json
import logging
import mimetypes
import os
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from celery import Celery
from flask import Flask
from flask_websub.hub import Hub, SQLite3HubStorage
from flask_websub.subscriber import (
    SQLite3SubscriberStorage,
    SQLite3TempSubscriberStorage,
    Subscriber,
    discover,
)
from werkzeug.serving import make_server

HOST = "127.0.0.1"
TYPES = {
    ".xml": "application/xml",
    ".json": "application/feed+json",
    ".opml": "text/x-opml",
}


def say(**event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def serve(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()


def static_server(root, hub_url):
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=root, **kwargs)

        def guess_type(self, path):
            name = os.path.basename(path)
            if name == "rss.xml":
                return "application/rss+xml"
            if name == "atom.xml":
                return "application/atom+xml"
            return TYPES.get(os.path.splitext(name)[1]) or mimetypes.guess_type(path)[0] or "application/octet-stream"

        def end_headers(self):
            here = "http://%s:%d%s" % (HOST, self.server.server_port, self.path)
            self.send_header("Link", '<%s>; rel="hub", <%s>; rel="self"' % (hub_url, here))
            super().end_headers()

        def log_message(self, *args):
            pass

    return ThreadingHTTPServer((HOST, 0), Handler)


def main():
    root = sys.argv[1]
    # Quiet: the subscriber tries https first, which the plain-http hub logs as a bad request.
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    state = tempfile.mkdtemp(prefix="newswire-websub-")

    # The hub.
    celery = Celery("newswire_websub_test", broker="memory://")
    celery.conf.task_always_eager = True
    hub_app = Flask("hub")
    hub = Hub(
        SQLite3HubStorage(os.path.join(state, "hub.sqlite3")),
        celery,
        PUBLISH_SUPPORTED=True,
        REQUEST_TIMEOUT=5,
        MAX_ATTEMPTS=2,
        BACKOFF_BASE=0.1,
    )
    hub_app.config["PUBLISH_SUPPORTED"] = True
    hub_app.register_blueprint(hub.build_blueprint(url_prefix="/hub"))
    hub_server = make_server(HOST, 0, hub_app, threaded=True)
    hub_url = "http://%s:%d/hub" % (HOST, hub_server.server_port)

    # The subscriber.
    sub_app = Flask("subscriber")
    db = os.path.join(state, "subscriber.sqlite3")
    subscriber = Subscriber(SQLite3SubscriberStorage(db), SQLite3TempSubscriberStorage(db))
    sub_app.register_blueprint(subscriber.build_blueprint(url_prefix="/callbacks"))
    sub_server = make_server(HOST, 0, sub_app, threaded=True)
    sub_app.config["SERVER_NAME"] = "%s:%d" % (HOST, sub_server.server_port)
    verified = {}

    @subscriber.add_success_handler
    def on_success(topic_url, callback_id, mode):
        verified.setdefault(topic_url, threading.Event()).set()

    @subscriber.add_error_handler
    def on_error(topic_url, callback_id, message):
        say(event="error", topic=topic_url, message=str(message))

    @subscriber.add_listener
    def on_delivery(topic_url, callback_id, body):
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        say(event="delivered", topic=topic_url, body=text)

    site = static_server(root, hub_url)
    for server in (hub_server, sub_server, site):
        serve(server)
    say(event="ready", hub=hub_url, site="http://%s:%d/" % (HOST, site.server_port))

    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        if words[0] == "subscribe" and len(words) == 2:
            topic = words[1]
            try:
                found = discover(topic, timeout=5)
                with sub_app.app_context():
                    subscriber.subscribe(**found)
                done = verified.setdefault(found["topic_url"], threading.Event())
                if done.wait(10):
                    say(event="subscribed", topic=found["topic_url"], hub=found["hub_url"])
                else:
                    say(event="error", topic=topic, message="the hub did not verify the subscription")
            except Exception as e:  # reported to the test, which fails with it
                say(event="error", topic=topic, message="%s: %s" % (type(e).__name__, e))
        else:
            say(event="error", message="unknown command: " + line.strip())


if __name__ == "__main__":
    main()
