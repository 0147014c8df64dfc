"""The cohort report's patient table: one row per patient, sortable and filterable offline, each
row linking to the patient's page (``patients/<patient_id>.html``).

Why a small inline script and not a table library: the report must open offline, mailed or
archived (no CDN), and stay small at 10,000 patients.  DataTables needs jQuery (about 150 kB
minified together) and builds a DOM row per patient; the 60 lines below keep the rows as one
compact JSON array (about 100 bytes a patient), draw only the visible page of rows, and sort and
filter that array in memory.  Without JavaScript the first page of rows is still there (drawn
here), with a pointer to ``patients.tsv`` for the rest.

Missing values are words ("no fusion found", "none"), never blanks.
"""

from __future__ import annotations

import html
import json

PAGE_ROWS = 100
COLUMNS = (  # (key, header)
    ("patient_id", "patient"), ("progression_site", "progression site"), ("fusion", "fusion partner"),
    ("partner_group", "partner group"), ("five_prime", "5'-ROS1 partners"),
    ("at_progression", "ROS1 mutations at progression"), ("emergent", "emergent"),
    ("status", "ROS1 mutation status"), ("mechanism", "mechanism"), ("off_target", "off-target"),
)


def _words(value: str, missing: str) -> str:
    return value.replace(";", ", ").replace("_", " ") if value else missing


def patient_row(p: dict) -> list[str]:
    """The table cells of one patients.tsv row, missing values as words."""
    return [
        p["patient_id"], _words(p.get("progression_site", ""), "not given"),
        p.get("fusion_partner") or "no fusion found",
        "no fusion" if p.get("partner_group") in ("", "none", None) else p["partner_group"],
        _words(p.get("five_prime_ros1_partners", ""), "none"),
        _words(p.get("ros1_mutations_at_progression", ""), "none"),
        _words(p.get("emergent_ros1_mutations", ""), "none"),
        _words(p.get("ros1_mutation_status", ""), "unknown"),
        _words(p.get("resistance_mechanism", ""), "unknown"),
        p.get("off_target_alterations", "").replace(";", ", ") or "none",
    ]


def _row_html(cells: list[str], pages_dir: str) -> str:
    pid = html.escape(cells[0])
    link = f"<td><a href='{pages_dir}/{pid}.html'>{pid}</a></td>"
    return "<tr>" + link + "".join(f"<td>{html.escape(c)}</td>" for c in cells[1:]) + "</tr>"


# Sort on click (numbers as numbers), filter per column (case-insensitive "contains"), draw one
# page of rows.  Textual data only: cells are inserted as text, links built from the escaped id.
SCRIPT = """
(function(){
const data=JSON.parse(document.getElementById('patient-data').textContent);
const dir=data.dir,rows=data.rows,size=data.page,tbody=document.querySelector('#patients tbody');
const filters=[...document.querySelectorAll('#patients thead input')];
const heads=[...document.querySelectorAll('#patients th.sort')];
const info=document.getElementById('patients-info'),more=document.getElementById('patients-more');
let shown=rows,key=-1,dir_=1,limit=size;
const num=v=>v!==''&&!isNaN(v)?parseFloat(v):null;
function cmp(a,b){const x=num(a[key]),y=num(b[key]);if(x!==null&&y!==null)return (x-y)*dir_;
return a[key].localeCompare(b[key],undefined,{numeric:true})*dir_;}
function cell(c,i){const td=document.createElement('td');
if(i===0){const a=document.createElement('a');a.href=dir+'/'+encodeURIComponent(c)+'.html';
a.textContent=c;td.appendChild(a);}else td.textContent=c;return td;}
function draw(){const frag=document.createDocumentFragment();
shown.slice(0,limit).forEach(r=>{const tr=document.createElement('tr');
r.forEach((c,i)=>tr.appendChild(cell(c,i)));frag.appendChild(tr);});
tbody.replaceChildren(frag);
info.textContent=shown.length+' of '+rows.length+' patients'
+(shown.length>limit?', first '+limit+' shown':'');
more.hidden=shown.length<=limit;}
function apply(){const f=filters.map(i=>i.value.trim().toLowerCase());
shown=rows.filter(r=>f.every((v,i)=>!v||r[i].toLowerCase().includes(v)));
if(key>=0)shown.sort(cmp);limit=size;draw();}
heads.forEach((h,i)=>h.addEventListener('click',()=>{dir_=key===i?-dir_:1;key=i;
heads.forEach(x=>x.removeAttribute('aria-sort'));
h.setAttribute('aria-sort',dir_>0?'ascending':'descending');apply();}));
filters.forEach(i=>i.addEventListener('input',apply));
more.addEventListener('click',()=>{limit+=size*10;draw();});
draw();
})();
"""
STYLE = """
#patients th.sort{cursor:pointer;white-space:nowrap}#patients th.sort::after{content:' \\2195';color:#999}
#patients th[aria-sort=ascending]::after{content:' \\2191';color:#000}
#patients th[aria-sort=descending]::after{content:' \\2193';color:#000}
#patients thead input{width:100%;box-sizing:border-box;font-size:11px}
"""


def patients_section(patients: list[dict], pages_dir: str = "patients") -> str:
    """The patient table: the first page of rows in HTML, every row in a JSON island for the script."""
    rows = [patient_row(p) for p in patients]
    heads = "".join(f"<th class='sort' scope='col'>{html.escape(h)}</th>" for _, h in COLUMNS)
    inputs = "".join(f"<th><input type='search' aria-label='filter {html.escape(h)}' "
                     "placeholder='filter'></th>" for _, h in COLUMNS)
    first = "".join(_row_html(r, pages_dir) for r in rows[:PAGE_ROWS])
    # "</" is escaped so that no cell can end the <script> element early
    data = json.dumps({"dir": pages_dir, "page": PAGE_ROWS, "rows": rows}, separators=(",", ":"),
                      ensure_ascii=False).replace("</", "<\\/")
    more = f", first {PAGE_ROWS} shown (all in patients.tsv)" if len(rows) > PAGE_ROWS else ""
    hidden = "" if len(rows) > PAGE_ROWS else " hidden"
    return (f"<h2 id='patients-table'>Patients</h2><p class='note'>Click a header to sort, type in the boxes "
            "below it to filter; each patient links to a page with the fusion, the ROS1 variants at "
            "baseline and progression, the mechanism and the drug activity (patients/&lt;id&gt;.html). "
            f"<span id='patients-info'>{len(rows)} patients{more}</span></p>"
            f"<table id='patients'><thead><tr>{heads}</tr><tr>{inputs}</tr></thead>"
            f"<tbody>{first}</tbody></table>"
            f"<button id='patients-more' type='button'{hidden}>show more</button>"
            f"<script type='application/json' id='patient-data'>{data}</script><script>{SCRIPT}</script>")
