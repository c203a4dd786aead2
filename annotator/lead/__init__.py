"""What the project lead looks at: statistics of the annotators' work, the HTML report, assignment.

Pure computations over plain data read through the Store's read methods; nothing here imports
Textual or writes to the database.
"""
