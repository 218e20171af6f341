"""The batch's substitution renderer must write exactly what Jinja writes, or step aside."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advocate.lookup import people as reps
from advocate.templates import fast as skeleton
from advocate.templates import letters as templates
from advocate.templates import render

RECIPIENTS = ["us-N000002", "us-S000148", "gb-4514", "de-1045460", "fr-PA1008", "icc-otp", "un-ie-sogi",
              "ru-embassy-de", "ru-embassy-uk"]  # fmt: skip
CUSTOM = {"id": "custom", "name": "Embassy of Lithuania", "country": "CUSTOM", "role": "", "body": "", "channels": {}}
text = st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=40)


def pairs():
    for letter in templates.all_letters():
        for rid in RECIPIENTS:
            person = reps.show(rid)
            if templates.suits(letter, person):
                yield letter, person
        if templates.suits(letter, CUSTOM):
            yield letter, CUSTOM


PAIRS = list(pairs())


def test_every_bundled_letter_takes_the_fast_way():
    assert PAIRS and all(skeleton.compile_letter(letter) is not None for letter, _ in PAIRS)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    index=st.integers(min_value=0, max_value=len(PAIRS) - 1),
    name=text,
    address=text | st.just("1 Main St\nApt 2"),
    city=text,
    postcode=text,
    email=text,
    personal=text | st.just("Line one.\n\nLine two {{ not jinja }}"),
)
@pytest.mark.slow
def test_substitution_equals_a_full_render(index, name, address, city, postcode, email, personal):
    letter, person = PAIRS[index]
    fast = skeleton.compile_letter(letter)
    sender = render.sender_context(name=name, address=address, city=city, postcode=postcode, email=email)
    ctx = render.context(letter, person, sender, personal)
    assert fast.render(ctx) == render.render(letter, ctx)
    assert fast.render(ctx) == render.render(letter, ctx)  # and again from its cache


@pytest.mark.parametrize(
    "body",
    [
        "{{ sender.name | upper }}",
        "{% if sender.name == 'x' %}x{% endif %}",
        "{{ sender }}",
        "{% set n = sender.name %}{{ n }}",
        "{{ personal ~ '!' }}",
        "{% for c in sender.name %}{{ c }}{% endfor %}",
        "{{ [sender.city] | join(', ') }}",
    ],
)
def test_other_uses_of_attendee_values_are_rendered_in_full(tmp_path, body):
    path = tmp_path / "t.en.j2"
    path.write_text(
        f"---\nname: t\ntitle: T\ndescription: d\nlanguage: en\nsuits: [{{custom: true}}]\nsubject: s\n---\n{body}\n"
    )
    assert skeleton.compile_letter(templates.read(path, "user")) is None


def test_an_attendee_column_that_is_missing_is_empty_the_full_way_too(tmp_path):
    path = tmp_path / "t.en.j2"
    path.write_text('---\nname: t\ntitle: T\ndescription: d\nlanguage: en\nsuits: [{custom: true}]\nsubject: s\n---\n'
                    '{{ attendee["Table"] }} {{ sender.name }}\n')  # fmt: skip
    letter = templates.read(path, "user")
    fast = skeleton.compile_letter(letter)
    assert fast is not None
    ctx = render.context(letter, CUSTOM, render.sender_context(name="A"), "", {"Table": "7"})
    assert fast.render(ctx) == render.render(letter, ctx) == ("s", "7 A\n")
    assert fast.render(render.context(letter, CUSTOM, render.sender_context(name="A"), "", {})) == ("s", " A\n")
