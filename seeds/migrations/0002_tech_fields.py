from django.db import migrations

# The 20 technology fields of the portal's taxonomy (code, Japanese, English), a stable interface.
TECH_FIELDS = [
    ('unmanned', '無人アセット', 'Unmanned systems'),
    ('ai', '人工知能・データ分析', 'AI and data analytics'),
    ('comms', '次世代情報通信', 'Next-generation communications'),
    ('space', '宇宙', 'Space'),
    ('cyber', 'サイバーセキュリティ', 'Cybersecurity'),
    ('dx', 'デジタルトランスフォーメーション', 'Digital transformation'),
    ('directed_energy', '高出力エネルギー', 'High-power (directed) energy'),
    ('info_warfare', '情報戦・認知領域', 'Information warfare'),
    ('standoff', 'スタンド・オフ防衛', 'Stand-off defence'),
    ('maritime', '海洋・水中', 'Maritime and underwater'),
    ('electronic_warfare', '電子戦・ソフトキル', 'Electronic warfare and soft-kill'),
    ('sensing', 'センシング・探知', 'Sensing and detection'),
    ('robotics', 'ロボティクス・自律移動', 'Robotics and autonomous mobility'),
    ('quantum', '量子技術', 'Quantum technology'),
    ('materials', '先端素材・製造', 'Advanced materials and manufacturing'),
    ('energy', 'エネルギー・電源', 'Energy and power'),
    ('medical', '医療・衛生', 'Medical and human performance'),
    ('disaster', '防災・災害対応', 'Disaster response'),
    ('simulation', 'シミュレーション・訓練', 'Simulation and training'),
    ('logistics', '兵站・サプライチェーン', 'Logistics and supply chain'),
]


def load_tech_fields(apps, schema_editor):
    TechField = apps.get_model("seeds", "TechField")
    for position, (code, name_ja, name_en) in enumerate(TECH_FIELDS):
        TechField.objects.update_or_create(
            code=code, defaults={"name_ja": name_ja, "name_en": name_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("seeds", "0001_initial")]
    operations = [migrations.RunPython(load_tech_fields, migrations.RunPython.noop)]
