"""The first consent form: botulinum toxin trigger point injection, version 1.

Clinic admins change the wording by publishing a new version in the admin;
this text stays as it is, because patients will have signed it.
"""

from django.db import migrations

CODE = "botulinum-toxin-tpi"
TITLE = "Consent to botulinum toxin trigger point injection"
BODY = """\
What is proposed
Your clinician proposes to inject a botulinum toxin medicine (such as Botox, Dysport, Xeomin or Myobloc) into trigger points: tight, tender spots in muscles that cause your pain. Small amounts are injected through a fine needle into each muscle chosen. Any benefit usually starts after one to two weeks and wears off after about three months.

This use is off-label
Botulinum toxin is not approved by the U.S. Food and Drug Administration (FDA) for treating myofascial pain or trigger points. Using it this way is called "off-label" use. Doctors may lawfully use a medicine off-label when they judge it may help, but the evidence for this use is limited, it may not relieve your pain, and your insurance may not pay for it.

Other choices
You do not have to have this treatment. Other options include physical therapy and stretching, trigger point injections with a local anesthetic, dry needling, medicines, or no treatment.

Common side effects
Pain, bruising, redness or swelling where the needle goes in; headache; flu-like symptoms or tiredness; weakness of the injected muscle or the muscles next to it. These usually pass within days to weeks.

Less common but serious risks
The toxin can spread beyond the place it was injected (distant spread of toxin effect). This may happen hours to weeks after the injection and can cause:
- trouble swallowing, speaking or breathing, which can be life-threatening, and deaths have been reported;
- general muscle weakness;
- drooping eyelids (ptosis);
- double or blurred vision;
- hoarse voice or loss of voice, or loss of bladder control.
Allergic reactions can occur: itching, rash, swelling, wheezing, or feeling dizzy or faint. A needle can rarely cause infection or, near the chest, a collapsed lung (pneumothorax).
The risk is higher if you have a disease of the nerves and muscles (such as myasthenia gravis, Lambert-Eaton syndrome or ALS), already have trouble swallowing or breathing, take certain antibiotics (aminoglycosides) or other medicines that affect muscles or bleeding, or have had a reaction to a botulinum toxin before. It should not be given if you are pregnant or breastfeeding, or if the skin where it would be injected is infected.

Signs to report straight away
Call the clinic at once, even weeks after the injection, if you have: new weakness; drooping eyelids; double or blurred vision; trouble swallowing or speaking; a rash or other signs of an allergic reaction; or redness, heat, swelling or pus where you were injected, or a fever. If you have trouble breathing or swallowing, call 911 or go to the nearest emergency department.

Your agreement
I have told my clinician about my health conditions, my medicines, my allergies, any earlier botulinum toxin treatment, and whether I am or may be pregnant or breastfeeding. I understand that this treatment is off-label for myofascial pain, that results are not guaranteed, and the risks described above. I have had the chance to ask questions and my questions were answered. I know I can withdraw this consent at any time. I agree to botulinum toxin trigger point injection.
"""


def add_form(apps, schema_editor):
    ConsentForm = apps.get_model("patients", "ConsentForm")
    ConsentForm.objects.get_or_create(
        code=CODE, version=1, defaults={"title": TITLE, "body": BODY, "valid_for_days": 365}
    )


def remove_form(apps, schema_editor):
    ConsentForm = apps.get_model("patients", "ConsentForm")
    ConsentForm.objects.filter(code=CODE, version=1, consents__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("patients", "0004_search_name_gist")]

    operations = [migrations.RunPython(add_form, remove_form)]
