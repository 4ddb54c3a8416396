"""Small labelled excerpts and a three-code codebook, written for these tests (no third-party text)."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from pipeline.codebook import Codebook, parse_codebook

CODEBOOK_DATA = {
    "name": "Codebook uji",
    "themes": [{
        "id": "UJI", "name": "Tema uji",
        "codes": [
            {"id": "UJI-KELAS", "name": "Aturan kelas",
             "definition": "Cara guru menertibkan kelas: aturan kelas, tepuk diam, tempat duduk.",
             "include": "kesepakatan kelas, siswa ribut, antre",
             "examples": ["kelasnya ribut jadi saya pakai tepuk diam", "aturan kelas dibuat bersama siswa"]},
            {"id": "UJI-JADWAL", "name": "Jadwal pertemuan",
             "definition": "Waktu dan jadwal pertemuan KKG, bentrok dengan kegiatan lain.",
             "include": "hari Sabtu, rapat dinas, jadwal bentrok",
             "examples": ["jadwal KKG bentrok dengan rapat dinas", "pertemuannya tiap hari Sabtu"]},
            {"id": "UJI-MEDIA", "name": "Alat peraga",
             "definition": "Media dan alat peraga pembelajaran buatan guru.",
             "include": "kardus bekas, proyektor, video, gambar",
             "examples": ["saya bikin alat peraga dari kardus bekas", "pakai video lewat proyektor"]},
        ]}],
}

PHRASES = {
    "UJI-KELAS": ["anak-anak ribut terus jadi saya tepuk diam", "aturan kelas kami tempel di dinding",
                  "tempat duduknya saya rolling tiap minggu", "yang terlambat harus antre paling belakang",
                  "kesepakatan kelas dibacakan tiap pagi", "siswa tertib kalau ada aturannya"],
    "UJI-JADWAL": ["jadwal pertemuan sering bentrok dengan rapat dinas", "kumpulnya hari Sabtu siang",
                   "kadang diundur karena ada acara kecamatan", "waktunya mepet dengan jam pulang",
                   "pertemuan bulanan tidak pernah tepat waktu", "jadwalnya diumumkan mendadak lewat grup"],
    "UJI-MEDIA": ["alat peraganya dari kardus bekas", "saya putar video lewat proyektor sekolah",
                  "kartu bergambar saya gunting sendiri", "media pembelajaran saya bikin malam-malam",
                  "proyektornya cuma satu jadi gantian", "gambar hewan saya cetak warna"],
}
FILLERS = ["ya begitulah Pak", "jujur saja", "menurut saya", "kalau di sekolah kami", "eh gimana ya"]
OFF_TOPIC = ["cuacanya panas sekali tadi siang", "saya sarapan nasi uduk di warung", "motor saya mogok kemarin"]


def codebook() -> Codebook:
    return parse_codebook(CODEBOOK_DATA, path="uji.yaml")


def labelled_excerpts(n_per_informant: int = 14, informants: int = 6, seed: int = 0
                      ) -> tuple[pd.DataFrame, list[tuple[str, ...]]]:
    """Excerpts mixing one or two codes' phrases with fillers (a few off-topic), with informant and question."""
    rng = random.Random(seed)
    codes = list(PHRASES)
    rows, labels = [], []
    for g in range(informants):
        for i in range(n_per_informant):
            if i % 7 == 6:
                chosen: tuple[str, ...] = ()
                text = f"{rng.choice(FILLERS)}, {rng.choice(OFF_TOPIC)}."
            else:
                chosen = tuple(sorted(rng.sample(codes, 2 if i % 5 == 0 else 1)))
                parts = [rng.choice(PHRASES[c]) for c in chosen]
                text = f"{rng.choice(FILLERS)}, {', '.join(parts)}."
            question = "Bagaimana kegiatan Bapak/Ibu?" if i % 2 else None
            rows.append({"excerpt_id": len(rows) + 1, "key": f"W-U{g}:{i + 1:03d}", "text": text,
                         "context": question, "informant": f"U{g}"})
            labels.append(chosen)
    return pd.DataFrame(rows), labels


def indicator(labels: list[tuple[str, ...]], codes: tuple[str, ...]) -> np.ndarray:
    return np.array([[int(c in row) for c in codes] for row in labels], dtype=np.int8)
