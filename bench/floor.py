"""The floor: a bare WSGI app that reads the body and answers 200, served exactly like the
webhook, so the webhook's figures can be read as a share of what the server itself allows."""


def application(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        environ["wsgi.input"].read(length)
    body = b'{"status": "ok"}'
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
