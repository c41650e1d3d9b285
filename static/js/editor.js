/*
 * Rich text: every textarea.js-rich-text becomes a CKEditor offering only what the
 * server's allow-list keeps (recruitment/richtext.py), so what a recruiter writes is
 * what gets saved. The textarea stays in its form and follows every change, so a plain
 * POST sends the HTML. Pages that do not load the editor script keep the textarea.
 */
(function () {
  'use strict';

  // The server keeps these schemes only; the link form turns "example.com" into https.
  var SAFE_LINK = /^(https?:|mailto:)/i;

  // Whatever way a link arrives (the link form, a paste, setData), one the server would
  // strip is dropped here at once, so the editor never shows a link that will vanish.
  function dropUnsafeLinks(editor) {
    var model = editor.model;
    model.document.registerPostFixer(function (writer) {
      var unsafe = [];
      for (const item of writer.createRangeIn(model.document.getRoot()).getItems()) {
        var href = item.getAttribute('linkHref');
        if (href !== undefined && !SAFE_LINK.test(href)) {
          unsafe.push(writer.createRangeOn(item));
        }
      }
      unsafe.forEach(function (range) {
        writer.removeAttribute('linkHref', range);
      });
      return unsafe.length > 0;
    });
  }

  function enhance(textarea) {
    var ck = CKEDITOR;
    // Hidden behind the editor, a required textarea would block the submit with no
    // message the recruiter can see; the server reports an empty note instead.
    textarea.required = false;
    ck.ClassicEditor.create(textarea, {
      licenseKey: 'GPL',
      plugins: [ck.Essentials, ck.Paragraph, ck.Bold, ck.Italic, ck.Underline, ck.Link, ck.List, ck.BlockQuote],
      toolbar: ['bold', 'italic', 'underline', '|', 'link', 'bulletedList', 'numberedList', 'blockQuote', '|', 'undo', 'redo'],
      link: {defaultProtocol: 'https://', allowedProtocols: ['https?', 'mailto']}
    }).then(function (editor) {
      dropUnsafeLinks(editor);
      editor.model.document.on('change:data', function () {
        editor.updateSourceElement();
      });
    }).catch(function (error) {
      textarea.style.display = '';
      window.console.error('Rich-text editor failed; the plain text box is used instead.', error);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (typeof CKEDITOR === 'undefined') {
      return;
    }
    document.querySelectorAll('textarea.js-rich-text').forEach(enhance);
  });
}());
