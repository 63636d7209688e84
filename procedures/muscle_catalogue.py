"""The muscles a trigger point can be recorded in, as plain data.

`slug` is stable: it is stored with every trigger point and used as
`data-muscle` / `data-candidates` in the body map SVGs
(`templates/procedures/bodymap/`). Rename a muscle's `name`, never its slug.

`views` lists the body map views that mention the muscle; `drawn` says
whether some shape of the drawing shows it (otherwise it is only offered as a
candidate after a click on the nearest shape). Every muscle here is paired:
a point's side comes from where it was placed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

View = Literal["front", "back"]

HEAD_NECK = "head/neck"
SHOULDER_GIRDLE = "shoulder girdle"
UPPER_BACK = "upper back"
LOWER_BACK = "lower back"
CHEST_ABDOMEN = "chest/abdomen"
ARM = "arm"
FOREARM_HAND = "forearm/hand"
HIP_BUTTOCK = "hip/buttock"
THIGH = "thigh"
LEG_FOOT = "leg/foot"

REGIONS = (
    HEAD_NECK,
    SHOULDER_GIRDLE,
    UPPER_BACK,
    LOWER_BACK,
    CHEST_ABDOMEN,
    ARM,
    FOREARM_HAND,
    HIP_BUTTOCK,
    THIGH,
    LEG_FOOT,
)

FRONT: tuple[View, ...] = ("front",)
BACK: tuple[View, ...] = ("back",)
BOTH: tuple[View, ...] = ("front", "back")


@dataclass(frozen=True, kw_only=True)
class Muscle:
    slug: str
    name: str
    region: str
    views: tuple[View, ...]
    drawn: bool


def _muscle(slug: str, name: str, region: str, views: tuple[View, ...], *, drawn: bool) -> Muscle:
    return Muscle(slug=slug, name=name, region=region, views=views, drawn=drawn)


MUSCLES: tuple[Muscle, ...] = (
    # Head and neck
    _muscle("frontalis", "Frontalis", HEAD_NECK, FRONT, drawn=False),
    _muscle("temporalis", "Temporalis", HEAD_NECK, BOTH, drawn=False),
    _muscle("masseter", "Masseter", HEAD_NECK, FRONT, drawn=False),
    _muscle("occipitalis", "Occipitalis", HEAD_NECK, BACK, drawn=False),
    _muscle("suboccipitals", "Suboccipital muscles", HEAD_NECK, BACK, drawn=False),
    _muscle("splenius-capitis", "Splenius capitis", HEAD_NECK, BACK, drawn=False),
    _muscle(
        "posterior-cervical",
        "Posterior cervical muscles (semispinalis, cervical multifidi)",
        HEAD_NECK,
        BACK,
        drawn=True,
    ),
    _muscle("sternocleidomastoid", "Sternocleidomastoid", HEAD_NECK, FRONT, drawn=True),
    _muscle("scalenes", "Scalenes", HEAD_NECK, FRONT, drawn=True),
    _muscle("levator-scapulae", "Levator scapulae", HEAD_NECK, BOTH, drawn=False),
    # Shoulder girdle
    _muscle("upper-trapezius", "Upper trapezius", SHOULDER_GIRDLE, BOTH, drawn=True),
    _muscle("supraspinatus", "Supraspinatus", SHOULDER_GIRDLE, BOTH, drawn=False),
    _muscle("infraspinatus", "Infraspinatus", SHOULDER_GIRDLE, BACK, drawn=True),
    _muscle("teres-minor", "Teres minor", SHOULDER_GIRDLE, BACK, drawn=False),
    _muscle("teres-major", "Teres major", SHOULDER_GIRDLE, BACK, drawn=True),
    _muscle("subscapularis", "Subscapularis", SHOULDER_GIRDLE, BACK, drawn=False),
    _muscle("deltoid", "Deltoid", SHOULDER_GIRDLE, BOTH, drawn=True),
    # Upper back
    _muscle("middle-trapezius", "Middle trapezius", UPPER_BACK, BACK, drawn=True),
    _muscle("lower-trapezius", "Lower trapezius", UPPER_BACK, BACK, drawn=True),
    _muscle("rhomboids", "Rhomboids (major and minor)", UPPER_BACK, BACK, drawn=False),
    _muscle("latissimus-dorsi", "Latissimus dorsi", UPPER_BACK, BOTH, drawn=True),
    # Lower back
    _muscle(
        "erector-spinae",
        "Erector spinae (iliocostalis, longissimus)",
        LOWER_BACK,
        BACK,
        drawn=True,
    ),
    _muscle("multifidus", "Multifidus", LOWER_BACK, BACK, drawn=False),
    _muscle("quadratus-lumborum", "Quadratus lumborum", LOWER_BACK, BACK, drawn=True),
    # Chest and abdomen
    _muscle("pectoralis-major", "Pectoralis major", CHEST_ABDOMEN, FRONT, drawn=True),
    _muscle("pectoralis-minor", "Pectoralis minor", CHEST_ABDOMEN, FRONT, drawn=False),
    _muscle("serratus-anterior", "Serratus anterior", CHEST_ABDOMEN, FRONT, drawn=True),
    _muscle("rectus-abdominis", "Rectus abdominis", CHEST_ABDOMEN, FRONT, drawn=True),
    _muscle("obliques", "Abdominal obliques (external, internal)", CHEST_ABDOMEN, BOTH, drawn=True),
    # Arm
    _muscle("biceps-brachii", "Biceps brachii", ARM, FRONT, drawn=True),
    _muscle("triceps-brachii", "Triceps brachii", ARM, BOTH, drawn=True),
    # Forearm and hand
    _muscle("brachioradialis", "Brachioradialis", FOREARM_HAND, BOTH, drawn=True),
    _muscle(
        "forearm-extensors",
        "Forearm extensors (wrist and finger)",
        FOREARM_HAND,
        BOTH,
        drawn=True,
    ),
    _muscle("supinator", "Supinator", FOREARM_HAND, BOTH, drawn=False),
    _muscle(
        "forearm-flexors", "Forearm flexors (wrist and finger)", FOREARM_HAND, FRONT, drawn=True
    ),
    _muscle(
        "hand-intrinsics",
        "Hand muscles (interossei, thenar, hypothenar)",
        FOREARM_HAND,
        BOTH,
        drawn=True,
    ),
    # Hip and buttock
    _muscle("gluteus-maximus", "Gluteus maximus", HIP_BUTTOCK, BACK, drawn=True),
    _muscle("gluteus-medius", "Gluteus medius", HIP_BUTTOCK, BACK, drawn=True),
    _muscle("gluteus-minimus", "Gluteus minimus", HIP_BUTTOCK, BACK, drawn=False),
    _muscle("piriformis", "Piriformis", HIP_BUTTOCK, BACK, drawn=False),
    _muscle("tensor-fasciae-latae", "Tensor fasciae latae", HIP_BUTTOCK, BOTH, drawn=False),
    _muscle("iliopsoas", "Iliopsoas", HIP_BUTTOCK, FRONT, drawn=False),
    # Thigh
    _muscle("rectus-femoris", "Rectus femoris", THIGH, FRONT, drawn=True),
    _muscle("vastus-lateralis", "Vastus lateralis", THIGH, BOTH, drawn=True),
    _muscle("vastus-medialis", "Vastus medialis", THIGH, FRONT, drawn=True),
    _muscle("sartorius", "Sartorius", THIGH, FRONT, drawn=True),
    _muscle("adductors", "Adductors (longus, brevis, magnus, gracilis)", THIGH, BOTH, drawn=True),
    _muscle("biceps-femoris", "Biceps femoris (lateral hamstring)", THIGH, BACK, drawn=True),
    _muscle("semitendinosus", "Semitendinosus (medial hamstring)", THIGH, BOTH, drawn=True),
    _muscle("semimembranosus", "Semimembranosus (medial hamstring)", THIGH, BACK, drawn=True),
    # Leg and foot
    _muscle("gastrocnemius", "Gastrocnemius", LEG_FOOT, BOTH, drawn=True),
    _muscle("soleus", "Soleus", LEG_FOOT, BOTH, drawn=True),
    _muscle("tibialis-anterior", "Tibialis anterior", LEG_FOOT, FRONT, drawn=True),
    _muscle("peroneus-longus", "Peroneus (fibularis) longus", LEG_FOOT, BOTH, drawn=True),
    _muscle(
        "foot-intrinsics",
        "Foot muscles (plantar and dorsal intrinsics)",
        LEG_FOOT,
        BOTH,
        drawn=True,
    ),
)

MUSCLES_BY_SLUG: dict[str, Muscle] = {muscle.slug: muscle for muscle in MUSCLES}
