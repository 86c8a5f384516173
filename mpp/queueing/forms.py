"""Forms of the queue pages; the services check the rules again (and the API's input)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mpp.queueing.models import Counter, CrisisKind, QueueService


class HoursForm(forms.Form):
    opens_at = forms.TimeField(label=_("Buka"), required=False)
    closes_at = forms.TimeField(label=_("Tutup"), required=False)
    break_starts_at = forms.TimeField(label=_("Istirahat mulai"), required=False)
    break_ends_at = forms.TimeField(label=_("Istirahat selesai"), required=False)

    def __init__(self, *args, label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.label = label
        for field in self.fields.values():
            field.widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

    def clean(self):
        data = super().clean()
        if bool(data.get("opens_at")) != bool(data.get("closes_at")):
            raise forms.ValidationError(_("Isi jam buka dan tutup, atau kosongkan keduanya."))
        return data


class QueueServiceForm(forms.Form):
    prefix = forms.CharField(label=_("Awalan nomor"), max_length=3)
    service_minutes = forms.IntegerField(label=_("Rata-rata menit layanan"), initial=15)
    slot_minutes = forms.IntegerField(label=_("Panjang slot (menit)"), initial=30)
    online_percent = forms.IntegerField(label=_("Kuota daring (%)"), initial=60)
    is_bookable = forms.BooleanField(label=_("Dapat dipesan daring"), required=False, initial=True)

    def __init__(self, *args, instance: QueueService | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(instance, name) for name in self.base_fields},
            )
        super().__init__(*args, **kwargs)


class CounterForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=None, label=_("Instansi"))
    name = forms.CharField(label=_("Nama loket"), max_length=60)
    services = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Layanan yang dilayani"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_open = forms.BooleanField(label=_("Sedang buka"), required=False, initial=True)

    def __init__(self, *args, counter: Counter | None = None, agencies=None, **kwargs):
        if counter is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": counter.name,
                    "is_open": counter.is_open,
                    "services": list(counter.services.all()),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        agency_ids = [counter.agency_id] if counter else list(agencies.values_list("pk", flat=True))
        self.fields["services"].queryset = QueueService.objects.filter(
            agency_id__in=agency_ids
        ).select_related("service")
        self.fields["services"].label_from_instance = lambda s: f"{s.prefix} · {s.service.name}"
        if counter is not None:
            del self.fields["agency"]


class KioskWalkInForm(forms.Form):
    service = forms.ModelChoiceField(queryset=None, label=_("Layanan"))
    nik = forms.CharField(
        label=_("NIK (boleh dikosongkan)"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Nama (boleh dikosongkan)"), required=False, max_length=200)
    priority = forms.BooleanField(
        label=_("Butuh layanan khusus (lansia, difabel, ibu hamil)"), required=False
    )

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = lambda s: (
            f"{s.prefix} · {s.service.name} ({s.agency.short_name})"
        )


class KioskCheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Kode pesanan"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class CrisisForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tindakan"), choices=CrisisKind.choices)
    service = forms.ModelChoiceField(
        queryset=QueueService.objects.select_related("service"),
        required=False,
        label=_("Layanan (kosong: semua layanan)"),
    )
    percent = forms.IntegerField(
        label=_("Pengurangan kapasitas (%)"), min_value=0, max_value=100, required=False, initial=0
    )
    starts_on = forms.DateField(label=_("Mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Sampai"), widget=forms.DateInput(attrs={"type": "date"}))
    notice = forms.CharField(label=_("Pengumuman untuk warga"), max_length=300)

    def clean_percent(self):
        return self.cleaned_data.get("percent") or 0
