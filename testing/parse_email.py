#!/usr/bin/env python3
"""Parses .eml files with Python's `email` package, as a mail client would, and prints a JSON
array with each message's decoded subject, addresses, bodies and any defects found.

    python3 testing/parse_email.py FILE...
"""
import email
import email.policy
import json
import sys


def parse(path):
    with open(path, "rb") as raw:
        message = email.message_from_binary_file(raw, policy=email.policy.default)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    defects = [type(d).__name__ for d in message.defects]
    for part in message.walk():
        defects += [type(d).__name__ for d in part.defects]
    return {
        "subject": str(message["subject"]), "from": str(message["from"]), "to": str(message["to"]),
        "date": str(message["date"]), "messageId": str(message["message-id"]), "contentType": message.get_content_type(),
        "textBody": text.get_content() if text else None, "htmlBody": html.get_content() if html else None,
        "defects": defects,
    }


print(json.dumps([parse(path) for path in sys.argv[1:]]))
