"""Information sharing protocols: the register of agreements between agencies (DESIGN.md capability 8). A missing protocol never blocks a share (001 question 13)."""
