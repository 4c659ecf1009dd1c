"""JSON-LD canonicalisation for signing credentials, offline and with pinned contexts only.

A Data Integrity proof signs the RDF graph of a credential, not its JSON text, so what a signature covers depends on
the JSON-LD contexts. Three things keep that under control (Open Badges notes, pitfalls 1-3):

* contexts come only from the files pinned in ``contexts/``; any other URL is refused, so signing and verifying
  never reach the network and an attacker cannot swap a context;
* canonicalisation runs with ``base=None``, as jsonld.js does, so a relative IRI is dropped the same way in every
  implementation instead of being resolved against PyLD's example base;
* a document with a term that no context defines, or with a relative IRI, is refused, because such data would be
  silently left out of the signature and could then be changed by anyone.
"""

from __future__ import annotations

import copy
import json
import threading
from functools import cache
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.context_resolver import ContextResolver

CONTEXTS_DIR = Path(__file__).parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"


class UnsignableDocument(ValueError):
    """The document has data that a signature over its RDF graph would not cover."""


@cache
def _pinned_documents() -> dict[str, Any]:
    index = json.loads((CONTEXTS_DIR / "index.json").read_text(encoding="utf-8"))
    return {url: json.loads((CONTEXTS_DIR / name).read_text(encoding="utf-8")) for url, name in index.items()}


def pinned_context_urls() -> frozenset[str]:
    """The context URLs this app can process; anything else is refused."""
    return frozenset(_pinned_documents())


def load_pinned_document(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A PyLD document loader that serves the pinned contexts and refuses every other URL."""
    documents = _pinned_documents()
    if url not in documents:
        raise jsonld.JsonLdError(
            f"Context {url!r} is not pinned in app/certificates/contexts; refusing to fetch it.",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        )
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        # A copy, because PyLD may annotate what it is given.
        "document": copy.deepcopy(documents[url]),
    }


# PyLD's default loader fetches over HTTP. Replacing it means that even a call that forgets to pass
# documentLoader cannot reach the network.
jsonld.set_document_loader(load_pinned_document)

# PyLD caches resolved contexts by URL in one process-wide cache; ours is private, so a context that other code
# resolved with another loader can never stand in for a pinned one.
_RESOLVED_CONTEXTS: LRUCache = LRUCache(maxsize=64)


def _options(**extra: Any) -> dict[str, Any]:
    return {
        "documentLoader": load_pinned_document,
        "contextResolver": ContextResolver(_RESOLVED_CONTEXTS, load_pinned_document),
        "base": None,
        **extra,
    }


def _is_absolute_or_blank(iri: str) -> bool:
    return iri.startswith("_:") or (":" in iri and not iri.startswith(":"))


def _relative_iris(node: Any) -> list[str]:
    """Every ``@id`` and ``@type`` in an expanded document that is not an absolute IRI or a blank node."""
    found: list[str] = []
    if isinstance(node, list):
        for item in node:
            found += _relative_iris(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@id" and isinstance(value, str) and not _is_absolute_or_blank(value):
                found.append(value)
            elif key == "@type" and "@value" not in node:
                types = value if isinstance(value, list) else [value]
                found += [t for t in types if isinstance(t, str) and not _is_absolute_or_blank(t)]
            elif key != "@value":
                found += _relative_iris(value)
    return found


# PyLD's context caches are plain dicts shared by every thread of a process; one JSON-LD operation at a time.
_PYLD_LOCK = threading.RLock()


def check_fully_defined(document: dict[str, Any]) -> None:
    """Raise UnsignableDocument if some property or IRI of ``document`` would fall out of its RDF graph."""
    dropped: list[str] = []
    with _PYLD_LOCK:
        expanded = jsonld.expand(document, _options(), on_property_dropped=lambda term: dropped.append(str(term)))
    problems = [f"undefined term {term!r}" for term in dropped]
    problems += [f"relative IRI {iri!r}" for iri in _relative_iris(expanded)]
    if problems:
        raise UnsignableDocument("; ".join(sorted(set(problems))))


def canonicalize(document: dict[str, Any]) -> str:
    """RDFC-1.0 (URDNA2015) canonical N-Quads of ``document``, after checking nothing would be left unsigned."""
    check_fully_defined(document)
    with _PYLD_LOCK:
        return jsonld.normalize(document, _options(algorithm="URDNA2015", format="application/n-quads"))
