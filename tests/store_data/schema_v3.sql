-- A database made by annotator/store.py before it became a package (schema version 3).
PRAGMA user_version = 3;
BEGIN TRANSACTION;
CREATE TABLE claims (
            annotator TEXT PRIMARY KEY,
            token TEXT NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            since TEXT NOT NULL,
            seen TEXT NOT NULL
        );
CREATE TABLE "documents" (
   "id" TEXT PRIMARY KEY,
   "title" TEXT,
   "text" TEXT NOT NULL,
   "source" TEXT,
   "meta" TEXT,
   "text_hash" TEXT NOT NULL,
   "length" INTEGER NOT NULL,
   "position" INTEGER NOT NULL,
   "created" TEXT
);
INSERT INTO "documents" VALUES('d1','أول','قال السوداني إن داعش في الأنبار','a.txt','{"date": "2024-01-01"}','57a958a6058f589fe18c250253702545ffed939adadc96d0a659fd74d4bcb6ae',31,0,'2026-11-30T20:31:59.407+00:00');
INSERT INTO "documents" VALUES('d2','ثان','أعلنت القيادة المركزية الأميركية مقتل 15 عنصراً','','{}','063526cbde21c45a6660abd918c265e97802847b9c8787ea5d4a5201f22b7cf0',47,1,'2026-11-30T20:31:59.407+00:00');
CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            ts TEXT NOT NULL,
            user TEXT NOT NULL,
            annotator TEXT NOT NULL,
            document_id TEXT NOT NULL REFERENCES documents(id),
            action TEXT NOT NULL,
            ref INTEGER,
            origin TEXT,
            payload TEXT NOT NULL
        );
INSERT INTO "events" VALUES(1,'2026-11-30T20:31:59.412+00:00','lead','gold','d1','import',NULL,NULL,'{"add": [{"id": 1, "start": 4, "end": 12, "label": "actor"}], "remove": []}');
INSERT INTO "events" VALUES(2,'2026-11-30T20:31:59.412+00:00','lead','gold','d1','status',NULL,NULL,'{"add": [], "remove": [], "status": "adjudicated"}');
INSERT INTO "events" VALUES(3,'2026-11-30T20:31:59.448+00:00','ali','ali','d1','edit',NULL,NULL,'{"add": [{"id": 2, "start": 4, "end": 12, "label": "actor"}], "remove": []}');
INSERT INTO "events" VALUES(4,'2026-11-30T20:31:59.449+00:00','ali','ali','d1','status',NULL,NULL,'{"add": [], "remove": [], "status": "in_progress"}');
INSERT INTO "events" VALUES(5,'2026-11-30T20:31:59.456+00:00','ali','ali','d1','edit',NULL,NULL,'{"add": [{"id": 3, "start": 16, "end": 20, "label": "actor"}], "remove": []}');
INSERT INTO "events" VALUES(6,'2026-11-30T20:31:59.460+00:00','ali','ali','d1','edit',NULL,NULL,'{"add": [{"id": 4, "start": 24, "end": 31, "label": "place"}], "remove": []}');
INSERT INTO "events" VALUES(7,'2026-11-30T20:31:59.468+00:00','ali','ali','d1','undo',6,NULL,'{"add": [], "remove": [{"id": 4, "start": 24, "end": 31, "label": "place"}]}');
INSERT INTO "events" VALUES(8,'2026-11-30T20:31:59.472+00:00','ali','ali','d1','redo',6,NULL,'{"add": [{"id": 4, "start": 24, "end": 31, "label": "place"}], "remove": []}');
INSERT INTO "events" VALUES(9,'2026-11-30T20:31:59.476+00:00','ali','ali','d1','edit',NULL,NULL,'{"add": [], "remove": [{"id": 4, "start": 24, "end": 31, "label": "place"}]}');
INSERT INTO "events" VALUES(10,'2026-11-30T20:31:59.480+00:00','ali','ali','d1','status',NULL,NULL,'{"add": [], "remove": [], "status": "done", "previous": "in_progress", "step": true}');
INSERT INTO "events" VALUES(11,'2026-11-30T20:31:59.496+00:00','ali','ali','d2','reject',NULL,'rules','{"add": [], "remove": [], "suggestion": {"id": 1, "start": 6, "end": 32, "label": "actor", "source": "rules"}}');
INSERT INTO "events" VALUES(12,'2026-11-30T20:31:59.496+00:00','ali','ali','d2','status',NULL,NULL,'{"add": [], "remove": [], "status": "in_progress"}');
INSERT INTO "events" VALUES(13,'2026-11-30T20:31:59.500+00:00','lead','gold','d1','decide',NULL,'review','{"add": [], "remove": [], "took": "ali"}');
CREATE TABLE "labels" (
   "name" TEXT PRIMARY KEY,
   "layer" TEXT NOT NULL,
   "key" TEXT NOT NULL,
   "colour" TEXT NOT NULL,
   "description" TEXT,
   "position" INTEGER NOT NULL
);
INSERT INTO "labels" VALUES('actor','entity','1','#1f6feb','A person, group, force, state or institution that acts or speaks (داعش، القيادة المركزية الأميركية، السوداني).',0);
INSERT INTO "labels" VALUES('figure','entity','2','#b35900','A reported number with what it counts (15 عنصراً، 2500 جندي، 80 ألف باوند).',1);
INSERT INTO "labels" VALUES('place','entity','3','#3a8a1e','A named location (الأنبار، وادي الحزيمي، سوريا).',2);
INSERT INTO "labels" VALUES('quote','quote','4','#8a3ea8','Reported speech, direct or indirect, without the quotation marks.',3);
CREATE TABLE progress (
            document_id TEXT NOT NULL REFERENCES documents(id),
            annotator TEXT NOT NULL,
            status TEXT NOT NULL,
            cursor INTEGER NOT NULL DEFAULT 0,
            opened TEXT,
            updated TEXT NOT NULL,
            PRIMARY KEY (document_id, annotator)
        );
INSERT INTO "progress" VALUES('d1','gold','adjudicated',0,NULL,'2026-11-30T20:31:59.407+00:00');
INSERT INTO "progress" VALUES('d1','ali','done',0,NULL,'2026-11-30T20:31:59.480+00:00');
INSERT INTO "progress" VALUES('d2','ali','in_progress',5,'2026-11-30T20:31:59.488+00:00','2026-11-30T20:31:59.496+00:00');
CREATE TABLE spans (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id TEXT NOT NULL REFERENCES documents(id),
            annotator TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL REFERENCES labels(name),
            text TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            CHECK (start >= 0 AND start < "end")
        );
INSERT INTO "spans" VALUES(1,'d1','gold',4,12,'actor','السوداني','2026-11-30T20:31:59.407+00:00','2026-11-30T20:31:59.407+00:00');
INSERT INTO "spans" VALUES(2,'d1','ali',4,12,'actor','السوداني','2026-11-30T20:31:59.448+00:00','2026-11-30T20:31:59.448+00:00');
INSERT INTO "spans" VALUES(3,'d1','ali',16,20,'actor','داعش','2026-11-30T20:31:59.456+00:00','2026-11-30T20:31:59.456+00:00');
CREATE TABLE suggestions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id TEXT NOT NULL REFERENCES documents(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL REFERENCES labels(name),
            source TEXT NOT NULL,
            score REAL,
            created TEXT NOT NULL,
            CHECK (start >= 0 AND start < "end")
        );
INSERT INTO "suggestions" VALUES(1,'d2',6,32,'actor','rules',0.9,'2026-11-30T20:31:59.492+00:00');
INSERT INTO "suggestions" VALUES(2,'d2',38,40,'figure','rules',NULL,'2026-11-30T20:31:59.492+00:00');
CREATE UNIQUE INDEX "idx_documents_position"
    ON "documents" ("position");
CREATE INDEX "idx_spans_document_id_annotator_start"
    ON "spans" ("document_id", "annotator", "start");
CREATE INDEX "idx_events_document_id_annotator_id"
    ON "events" ("document_id", "annotator", "id");
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE INDEX suggestions_document ON suggestions (document_id, start);
CREATE INDEX suggestions_source ON suggestions (source, document_id);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('spans',4);
INSERT INTO "sqlite_sequence" VALUES('events',13);
INSERT INTO "sqlite_sequence" VALUES('suggestions',2);
COMMIT;
