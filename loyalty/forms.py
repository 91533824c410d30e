"""Page forms of loyalty; they pass input on to the services (which hold every rule)."""

from django import forms

from .models import PointsTo
from .services import ORG_GROUP_SIZE_MAX, POINTS_MAX, SLAB_NAME_MAX_LENGTH, SLABS_MAX, WINDOW_DAYS_MAX


class ProgramForm(forms.Form):
    enabled = forms.BooleanField(label="Group loyalty enabled", required=False,
                                 help_text="Off: the till API's user groups answer 400 and member care hides groups.")
    max_group_size = forms.IntegerField(label="Maximum group size", min_value=1, max_value=ORG_GROUP_SIZE_MAX,
                                        help_text="The cap on members per group; each group sets its own size "
                                                  "up to it.")
    points_to = forms.ChoiceField(label="A member's transaction credits", choices=PointsTo.choices)
    tracking_window_days = forms.IntegerField(label="Tracking window (days)", min_value=1, max_value=WINDOW_DAYS_MAX,
                                              help_text="The tracker counts the points a group earned in this "
                                                        "window; a slab lasts as long.")


class SlabForm(forms.Form):
    name = forms.CharField(label="Slab", max_length=SLAB_NAME_MAX_LENGTH, required=False)
    threshold = forms.IntegerField(label="Threshold", min_value=0, max_value=POINTS_MAX, required=False)
    renewal_threshold = forms.IntegerField(label="Renewal threshold", min_value=0, max_value=POINTS_MAX,
                                           required=False)

    def slab(self) -> dict | None:
        """Returns the row as a slab, or None for a blank row (left out)."""
        data = self.cleaned_data
        if not data.get("name") and data.get("threshold") is None and data.get("renewal_threshold") is None:
            return None
        return {"name": data.get("name") or "", "threshold": data.get("threshold"),
                "renewal_threshold": data.get("renewal_threshold")}


SlabFormSet = forms.formset_factory(SlabForm, extra=2, max_num=SLABS_MAX, absolute_max=SLABS_MAX)
