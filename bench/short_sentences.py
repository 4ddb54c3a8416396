"""Short topical sentences written for the clustering bench (original text of this project, seven topics).

Each is one informant-like remark of 5-14 words. Within a topic the wording varies on purpose: short excerpts that
share a theme but few words are what TF-IDF/LSA cannot group.
"""

from __future__ import annotations

TOPICS: dict[str, list[str]] = {
    "jadwal": [
        "Pertemuannya tiap Sabtu kedua, tapi sering mundur.",
        "Kumpulnya bentrok sama rapat di kecamatan, jadi diundur lagi.",
        "Banyak yang telat datang karena pulang ngajar dulu.",
        "Waktunya mepet, baru mulai jam sepuluh sudah harus bubar.",
        "Bulan puasa jadwalnya dipadatkan jadi dua kali saja.",
        "Undangannya mendadak, sehari sebelumnya baru diumumkan di grup.",
        "Kalau musim ujian, kegiatan gugus libur dulu.",
        "Kami sepakat ketemu sebulan sekali setelah jam pulang.",
        "Acaranya molor terus, akhirnya cuma setengah yang bertahan.",
        "Tanggal pertemuan sering ganti karena ada kegiatan dinas.",
    ],
    "media": [
        "Saya bikin pita pecahan dari kertas karton.",
        "Proyektornya cuma satu, jadi dipakai bergantian antarkelas.",
        "Anak-anak lebih paham kalau ada gambar yang bisa dipegang.",
        "Video pendek dari internet saya putar sebelum pelajaran.",
        "Kardus bekas saya ubah jadi papan hitung.",
        "Kartu bergambar hewan saya gunting sendiri malam-malam.",
        "Laptop sekolah sudah rusak, jadi pakai HP pribadi.",
        "Kit IPA pinjaman dari sekolah inti sangat membantu praktik.",
        "Globe di kelas sudah sobek, belum ada gantinya.",
        "Miniatur rumah adat dibuat siswa dari stik es krim.",
    ],
    "penilaian": [
        "Nilai rapor sekarang pakai deskripsi, bukan angka saja.",
        "Soal sumatif kami susun bareng di gugus.",
        "Asesmen diagnostik di awal semester bikin saya tahu kemampuan anak.",
        "Rubrik proyeknya masih bingung, kriterianya terlalu banyak.",
        "Ulangan harian saya koreksi di rumah sampai larut.",
        "Portofolio tiap anak disimpan di map masing-masing.",
        "Hasil tes membaca kelas rendah masih banyak yang kurang.",
        "Kisi-kisi ujian dibagikan seminggu sebelumnya.",
        "Skor kuis saya catat di buku nilai.",
        "Lembar observasi sikap diisi tiap akhir pekan.",
    ],
    "disiplin": [
        "Kelasnya ribut, saya pakai tepuk diam.",
        "Aturan kelas kami tempel di dinding depan.",
        "Yang terlambat harus antre paling belakang.",
        "Tempat duduk saya rolling tiap minggu supaya adil.",
        "Kalau ada yang berkelahi, saya pisahkan dulu lalu diajak bicara.",
        "Sebelum masuk, anak-anak berbaris rapi di depan pintu.",
        "Piket kebersihan dibagi per kelompok setiap hari.",
        "Siswa yang lupa PR dapat tugas tambahan.",
        "Kesepakatan kelas dibacakan bersama setiap Senin pagi.",
        "Anak yang jahil saya dudukkan paling depan.",
    ],
    "dana": [
        "Iuran anggota gugus sepuluh ribu per bulan.",
        "Dana BOS tidak bisa dipakai untuk konsumsi pertemuan.",
        "Honor narasumber kami tanggung patungan.",
        "Bendahara mencatat pengeluaran di buku kas.",
        "Fotokopi modul kadang pakai uang pribadi.",
        "Sekolah inti yang menalangi biaya sewa gedung.",
        "Anggaran kecamatan untuk kegiatan guru dipotong tahun ini.",
        "Laporan pertanggungjawaban keuangan dibahas di rapat akhir tahun.",
        "Kalau ada sisa kas, dibelikan alat tulis bersama.",
        "Sumbangan komite membantu membeli printer baru.",
    ],
    "teknologi": [
        "Banyak guru senior belum bisa login ke platform.",
        "Aksi nyata di PMM harus diunggah sebelum akhir bulan.",
        "Sinyal di sekolah lemah, mengunduh video susah sekali.",
        "Rekan muda mengajari cara bikin akun belajar.id.",
        "Pelatihan daring lewat Zoom sering putus-putus.",
        "Aplikasi rapor elektronik masih sering error.",
        "Webinar dari balai guru ditonton bareng di ruang guru.",
        "Saya belajar bikin kuis di Google Form dari YouTube.",
        "Sertifikat pelatihan mandiri bisa diunduh setelah lulus modul.",
        "Operator sekolah membantu guru yang lupa kata sandi.",
    ],
    "keluarga": [
        "Orang tuanya kerja di kota, anaknya tinggal sama nenek.",
        "Saya kunjungi rumahnya karena sudah seminggu tidak masuk.",
        "Bapaknya jarang datang saat pembagian rapor.",
        "Ibunya menitipkan pesan lewat WhatsApp tiap pagi.",
        "Ada siswa yang membantu orang tua berjualan di pasar.",
        "Keluarga yang kurang mampu dapat bantuan seragam.",
        "Paguyuban wali murid rutin rapat setiap semester.",
        "Kakaknya yang biasa mengantar ke sekolah.",
        "Orang tua minta PR jangan terlalu banyak.",
        "Setelah ayahnya merantau, anak itu jadi pendiam.",
    ],
}


def labelled() -> tuple[list[str], list[str]]:
    """(sentences, topic of each)."""
    texts = [text for sentences in TOPICS.values() for text in sentences]
    topics = [topic for topic, sentences in TOPICS.items() for _ in sentences]
    return texts, topics
