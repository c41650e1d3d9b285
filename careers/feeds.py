"""The careers list as an Atom feed."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from careers.selectors import posting_list
from recruitment.richtext import sanitize_html


class PostingFeed(Feed):
    feed_type = Atom1Feed
    title = _("Open positions")
    subtitle = _("The positions we are recruiting for.")

    def link(self) -> str:
        return reverse("careers:list")

    def items(self):
        return posting_list()[: settings.RMS_CAREERS_FEED_ITEMS]

    def item_title(self, posting) -> str:
        return posting.vacancy.public_title

    def item_description(self, posting) -> str:
        return sanitize_html(posting.vacancy.public_description)

    def item_link(self, posting) -> str:
        return reverse("careers:detail", kwargs={"slug": posting.slug})

    def item_pubdate(self, posting):
        return posting.published_at

    def item_updateddate(self, posting):
        return posting.updated_at
