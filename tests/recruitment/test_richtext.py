from recruitment.richtext import html_has_text, sanitize_html


def test_script_tags_are_removed_with_their_content():
    assert sanitize_html("<p>Hi</p><script>alert(1)</script>") == "<p>Hi</p>"


def test_event_handler_attributes_are_removed():
    assert sanitize_html('<img src=x onerror="alert(1)"><p onclick="x()">Hi</p>') == "<p>Hi</p>"


def test_javascript_urls_are_removed_but_the_link_text_stays():
    cleaned = sanitize_html('<a href="javascript:alert(1)">click</a>')

    assert "javascript" not in cleaned
    assert "click" in cleaned


def test_bold_italic_and_lists_are_kept():
    html = (
        "<p><strong>Strong</strong> and <em>em</em></p><ul><li>one</li></ul><ol><li>two</li></ol>"
    )

    assert sanitize_html(html) == html


def test_safe_links_are_kept_and_made_noopener():
    cleaned = sanitize_html('<a href="https://example.com/cv">CV</a>')

    assert 'href="https://example.com/cv"' in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned


def test_styles_and_unknown_tags_are_dropped():
    assert sanitize_html('<div style="color:red"><span>text</span></div>') == "text"


def test_html_has_text_sees_through_empty_markup():
    assert not html_has_text("<p><br></p>")
    assert html_has_text("<p>x</p>")
